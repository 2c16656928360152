import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Nodemailer over SMTP_URL. Without one, messages are written as .eml files under
 * `<DATA_DIR>/mail/`, so `npm start` works on a bare machine and a developer can read them.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly transporter: Transporter;
  private readonly dir?: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.mail.smtpUrl) {
      // Bounded sends: the outbox lease is sized from these (see worstSendMs), so a slow or silent
      // server can never hold a message past its claim.
      const m = config.mail;
      this.transporter = nodemailer.createTransport(
        { url: m.smtpUrl, connectionTimeout: m.connectionTimeoutMs, greetingTimeout: m.greetingTimeoutMs, socketTimeout: m.socketTimeoutMs },
        { from: m.from },
      );
    } else {
      this.dir = join(config.dataDir, 'mail');
      mkdirSync(this.dir, { recursive: true });
      this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  async send(mail: Mail): Promise<void> {
    const info = await this.transporter.sendMail({ from: this.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text });
    if (this.dir) {
      const message = (info as unknown as { message: Buffer }).message;
      await writeFile(join(this.dir, `${Date.now()}-${info.messageId.replace(/[<>@]/g, '')}.eml`), message);
    }
  }

  onModuleDestroy(): void {
    this.transporter.close();
  }
}
