import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { OutboxRepository } from './outbox.repository.js';
import { MailTransport } from './mail.transport.js';

export const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 120;

/** 30 s, 1 min, 2 min, … capped at one hour, with jitter so retries do not arrive together. */
export function backoffSeconds(attempt: number): number {
  const base = Math.min(3600, 30 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Why a send failed, for the admin view: error class, Nodemailer code, SMTP status and the system
 * error name (ECONNREFUSED, ETIMEDOUT…) — never the server's text, which may echo an address.
 */
export function failureReason(e: unknown): string {
  const err = e as { code?: string; name?: string; responseCode?: number; message?: string };
  const errno = /\bE[A-Z]{4,}\b/.exec(err.message ?? '')?.[0];
  const parts = [err.name, err.code, err.responseCode, errno !== err.code ? errno : undefined];
  return parts.filter(Boolean).join(' ') || 'send failed';
}

/** Sends what the outbox holds; any number of these may run (the claim uses SKIP LOCKED). */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Outbox');
  private running = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly transport: MailTransport,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.scheduler.addInterval('outbox', setInterval(() => void this.drain().catch(() => undefined), 5000));
  }

  onModuleDestroy(): void {
    if (this.scheduler.doesExist('interval', 'outbox')) this.scheduler.deleteInterval('outbox');
  }

  /** Sends every due message once; returns how many went out. */
  async drain(batch = 50): Promise<{ sent: number; failed: number }> {
    if (this.running) return { sent: 0, failed: 0 };
    this.running = true;
    let sent = 0;
    let failed = 0;
    try {
      for (;;) {
        const messages = await this.outbox.claimDue(batch, LEASE_SECONDS);
        if (!messages.length) break;
        for (const m of messages) {
          try {
            await this.transport.send({ to: m.recipient, subject: m.subject, text: m.body });
            await this.outbox.markSent(m.id);
            sent++;
          } catch (e) {
            const reason = failureReason(e);
            const last = m.attempts >= MAX_ATTEMPTS;
            await this.outbox.markRetry(m.id, reason, new Date(Date.now() + backoffSeconds(m.attempts) * 1000), last);
            failed++;
            this.logger.warn({ messageId: m.id, kind: m.kind, attempt: m.attempts, reason, final: last }, 'e-mail not sent');
          }
        }
        if (messages.length < batch) break;
      }
    } finally {
      this.running = false;
    }
    return { sent, failed };
  }
}
