/**
 * Emitted (in the change's transaction) when an account's token version is bumped: password set by
 * a reset, reset link sent, disable, role change, MFA reset. The auth module revokes every
 * refresh-token family of the account, so no copy of one can be rotated again.
 */
export class UserSessionsEndedEvent {
  static readonly topic = 'user.sessions-ended';
  constructor(readonly userId: string) {}
}
