import { DomainError } from '../common/domain-error.js';

export const AuthErrors = {
  invalidCredentials: () => new DomainError(401, 'INVALID_CREDENTIALS', 'E-mail or password is wrong.'),
  locked: (until: Date) =>
    new DomainError(429, 'ACCOUNT_LOCKED', 'Too many failed sign-ins; the account is locked for a while.', undefined, {
      lockedUntil: until.toISOString(),
    }),
  otpRequired: () => new DomainError(401, 'OTP_REQUIRED', 'Enter the code from your authenticator app.'),
  otpTicketInvalid: () => new DomainError(401, 'OTP_STEP_EXPIRED', 'The sign-in took too long; start again.'),
  otpInvalid: () => new DomainError(401, 'OTP_INVALID', 'The code is wrong or expired.'),
  refreshInvalid: () => new DomainError(401, 'REFRESH_TOKEN_INVALID', 'Sign in again.'),
  refreshReused: () => new DomainError(401, 'REFRESH_TOKEN_REUSED', 'This session was ended for safety; sign in again.'),
  tokenInvalid: () => new DomainError(401, 'UNAUTHENTICATED', 'A valid access token is required.'),
  mfaRequired: () => new DomainError(403, 'MFA_REQUIRED', 'Set up a second factor before using this.'),
  mfaNotStarted: () => new DomainError(409, 'MFA_NOT_STARTED', 'Start the set-up first.'),
  mfaAlreadyEnabled: () => new DomainError(409, 'MFA_ALREADY_ENABLED', 'A second factor is already set up.'),
  forbidden: () => new DomainError(403, 'FORBIDDEN', 'You are not allowed to do this.'),
  noPolicy: () => new DomainError(403, 'FORBIDDEN', 'This route declares no policy.'),
};
