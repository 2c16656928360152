import type { Language } from '../vocabulary/index.js';

// Events that ask for an e-mail. They live below the features so that mail goes one way: a feature
// emits, the notifications module (which imports no feature) renders and writes the outbox.

/**
 * Emitted when an account needs a set-password link. The token is in the event (never in a log);
 * the notifications module turns it into an e-mail to the user.
 */
export class UserInvitedEvent {
  static readonly topic = 'user.invited';
  constructor(
    readonly userId: string,
    readonly email: string,
    readonly language: Language,
    readonly token: string,
    readonly expiresAt: Date,
    readonly purpose: 'invite' | 'reset',
  ) {}
}

/**
 * Emitted (in the change's transaction) when an account's token version is bumped: password set by
 * a reset, reset link sent, disable, role change, MFA reset. The auth module revokes every
 * refresh-token family of the account, so no copy of one can be rotated again.
 */
export class UserSessionsEndedEvent {
  static readonly topic = 'user.sessions-ended';
  constructor(readonly userId: string) {}
}
