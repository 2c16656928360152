import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

/** A real SMTP server inside the test process, collecting what it receives. */
export class TestSmtp {
  readonly received: ReceivedMail[] = [];
  private server?: SMTPServer;
  port = 0;
  /** A slow server: each message is acknowledged this long after its data arrived. */
  delayMs = 0;
  /** Called when a message has been received, before the server acknowledges it. */
  onMessage?: (mail: ReceivedMail) => void | Promise<void>;

  /** Listens on `port`; by default the port it had before, so stop() + start() is an outage on the same address. */
  async start(port = this.port): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then(async (m) => {
              const mail = { to: session.envelope.rcptTo.map((r) => r.address), subject: m.subject ?? '', text: m.text ?? '', raw };
              this.received.push(mail);
              await this.onMessage?.(mail);
              if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
              done();
            })
            .catch(done);
        });
      },
    });
    await new Promise<void>((ok) => this.server!.listen(port, '127.0.0.1', () => ok()));
    this.port = (this.server as unknown as { server: { address(): { port: number } } }).server.address().port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?ignoreTLS=true`;
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((ok) => this.server!.close(() => ok()));
    this.server = undefined;
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address));
  }
}

export const startSmtp = () => new TestSmtp().start();
