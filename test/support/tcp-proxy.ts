import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in the test process between the app and a server (PostgreSQL, SMTP) that a test can
 * cut and restore: a real network fault, not a mock. `cut('refuse')` drops every open connection
 * and refuses new ones (a server restarting); `cut('hang')` drops them and accepts new ones that never
 * answer (a network partition: the client's own timeouts decide).
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private mode: 'up' | 'hang' = 'up';
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  async start(): Promise<this> {
    const server = createServer((client) => {
      this.track(client);
      if (this.mode === 'hang') return;
      const upstream = connect(this.targetPort, this.targetHost);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((ok) => server.listen(this.port, '127.0.0.1', () => ok()));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
    return this;
  }

  /** `postgres://…@127.0.0.1:<proxy port>/…` for a URL of the target. */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  async cut(mode: 'refuse' | 'hang' = 'refuse'): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (mode === 'hang') {
      this.mode = 'hang';
      return;
    }
    await this.stop();
  }

  async restore(): Promise<void> {
    this.mode = 'up';
    if (!this.server) await this.start();
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((ok) => server.close(() => ok()));
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  }
}
