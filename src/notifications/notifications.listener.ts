import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { UserInvitedEvent } from '../common/mail-events.js';
import { OutboxRepository } from './outbox.repository.js';
import { render } from './templates.js';

/** Turns domain events into outbox rows, inside the transaction of the change (emitAsync). */
@Injectable()
export class NotificationsListener {
  constructor(
    private readonly outbox: OutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnEvent(UserInvitedEvent.topic, { suppressErrors: false })
  async onUserInvited(e: UserInvitedEvent): Promise<void> {
    const link = `${this.config.publicUrl}/set-password?token=${encodeURIComponent(e.token)}`;
    const { subject, text } = render('invite', e.language, { link, expiresAt: e.expiresAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC', purpose: e.purpose });
    await this.outbox.enqueue([{ recipient: e.email, subject, body: text, kind: `user.${e.purpose}` }]);
  }
}
