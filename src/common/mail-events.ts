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
