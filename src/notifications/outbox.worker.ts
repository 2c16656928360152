import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import { worstSendMs, type AppConfig } from '../config/config.js';
import { JobRunner } from '../common/job-runner.js';
import { OutboxRepository, type ClaimedMessage } from './outbox.repository.js';
import { MailTransport } from './mail.transport.js';

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

type Outcome = { sent: true; at: Date } | { sent: false; reason: string; retryAt: Date; final: boolean };

/**
 * The claim of one batch: which messages this worker still holds, and until when at the latest
 * (measured from before the claim or renewal was asked, so the estimate errs on the short side).
 */
class Lease {
  private until: number;
  readonly held: Set<string>;

  constructor(
    messages: ClaimedMessage[],
    askedAt: number,
    private readonly seconds: number,
    private readonly renewWith: (ids: string[]) => Promise<string[]>,
  ) {
    this.held = new Set(messages.map((m) => m.id));
    this.until = askedAt + seconds * 1000;
  }

  get remainingMs(): number {
    return this.until - Date.now();
  }

  async renew(): Promise<boolean> {
    if (!this.held.size) return true;
    const askedAt = Date.now();
    try {
      const still = new Set(await this.renewWith([...this.held]));
      for (const id of this.held) if (!still.has(id)) this.held.delete(id);
      this.until = askedAt + this.seconds * 1000;
      return true;
    } catch {
      return false;
    }
  }

  /** True when `id` is still ours for at least `ms` (renewing first when the lease runs short). */
  async holds(id: string, ms: number): Promise<boolean> {
    if (this.remainingMs < ms + this.seconds * 250) await this.renew();
    return this.held.has(id) && this.remainingMs >= ms;
  }
}

/**
 * Sends what the outbox holds, at most once per message and without losing any; any number of
 * these may run (claims use SKIP LOCKED).
 *
 * - A worker claims a few messages (OUTBOX_BATCH) under a lease (OUTBOX_LEASE_SECONDS) that is at
 *   least twice the slowest possible send (the SMTP connection, greeting and socket timeouts are set).
 * - While a batch is being sent the lease is renewed (a timer, and before each message); a message
 *   is only sent while the lease still covers its slowest send, so nobody else can claim it meanwhile.
 * - The outcome of a send is written at once; if the database does not answer, the outcome is kept
 *   in memory and written again every second until it does, before anything new is claimed — well
 *   within the lease, so the message is not sent again by anyone.
 * - A failed send is retried with a backoff capped at an hour, for 72 h, then marked `failed`;
 *   admins send failed messages again (one, or all at once).
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Outbox');
  /** This worker's claims; a restarted process is another worker (its old claims expire). */
  private readonly token = randomUUID();
  /** Outcomes the database has not taken yet, by message id. */
  private readonly unwritten = new Map<string, Outcome>();
  private flushTimer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly transport: MailTransport,
    private readonly jobs: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('outbox', 5000, () => this.drain());
  }

  onModuleDestroy(): void {
    clearInterval(this.flushTimer);
  }

  /** Outcomes still waiting for the database (0 once it has answered). */
  get pendingOutcomes(): number {
    return this.unwritten.size;
  }

  /** Sends every due message once; returns how many went out and how many failed. */
  async drain(batch = this.config.outbox.batch): Promise<{ sent: number; failed: number }> {
    if (this.running) return { sent: 0, failed: 0 };
    this.running = true;
    let sent = 0;
    let failed = 0;
    try {
      // Nothing new is claimed while earlier outcomes are still unwritten.
      if (!(await this.flush())) return { sent, failed };
      const worst = worstSendMs(this.config.mail);
      const seconds = this.config.outbox.leaseSeconds;
      for (;;) {
        const askedAt = Date.now();
        const messages = await this.outbox.claimDue(batch, seconds, this.token);
        if (!messages.length) break;
        const lease = new Lease(messages, askedAt, seconds, (ids) => this.outbox.renew(ids, seconds, this.token));
        const renewal = setInterval(() => void lease.renew(), (seconds * 1000) / 3);
        try {
          for (const m of messages) {
            // Sent before, outcome not yet written (our lease ran out meanwhile): write it, never resend.
            if (this.unwritten.has(m.id)) continue;
            if (!(await lease.holds(m.id, worst))) {
              this.logger.warn({ messageId: m.id }, 'e-mail left for later: its claim could not be renewed');
              continue;
            }
            const outcome = await this.send(m);
            lease.held.delete(m.id);
            if (outcome.sent) sent++;
            else failed++;
            await this.record(m.id, outcome);
          }
        } finally {
          clearInterval(renewal);
        }
        if (messages.length < batch) break;
      }
    } finally {
      this.running = false;
    }
    return { sent, failed };
  }

  private async send(m: ClaimedMessage): Promise<Outcome> {
    try {
      await this.transport.send({ to: m.recipient, subject: m.subject, text: m.body });
      return { sent: true, at: new Date() };
    } catch (e) {
      const reason = failureReason(e);
      const retryAt = new Date(Date.now() + backoffSeconds(m.attempts) * 1000);
      const final = retryAt > new Date(m.giveUpAt);
      this.logger.warn({ messageId: m.id, kind: m.kind, attempt: m.attempts, reason, final }, 'e-mail not sent');
      return { sent: false, reason, retryAt: final ? new Date() : retryAt, final };
    }
  }

  /** Writes an outcome, or keeps it for the flush loop when the database does not answer. */
  private async record(id: string, outcome: Outcome): Promise<void> {
    this.unwritten.set(id, outcome);
    if (!(await this.flush())) {
      this.logger.warn({ messageId: id, waiting: this.unwritten.size }, 'e-mail outcome kept in memory until the database answers');
      this.flushTimer ??= setInterval(() => void this.flush(), 1000).unref();
    }
  }

  /** Writes every kept outcome; true when none is left. */
  private async flush(): Promise<boolean> {
    for (const [id, o] of this.unwritten) {
      try {
        if (o.sent) await this.outbox.markSent(id, o.at);
        else await this.outbox.markRetry(id, this.token, o.reason, o.retryAt, o.final);
        this.unwritten.delete(id);
      } catch {
        return false;
      }
    }
    if (this.flushTimer) {
      clearInterval(this.flushTimer);
      this.flushTimer = undefined;
      this.logger.log({}, 'e-mail outcomes written after the database came back');
    }
    return true;
  }
}
