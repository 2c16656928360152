import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { UserSessionsEndedEvent } from '../users/users.events.js';
import { TokensService } from './tokens.service.js';

/** An account's sessions were ended by the users module: every refresh family goes, in the same transaction. */
@Injectable()
export class AuthListener {
  constructor(private readonly tokens: TokensService) {}

  @OnEvent(UserSessionsEndedEvent.topic, { suppressErrors: false })
  async onSessionsEnded(e: UserSessionsEndedEvent): Promise<void> {
    await this.tokens.revokeAll(e.userId);
  }
}
