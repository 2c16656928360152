import { z } from 'zod';

/** What the auth API answers (common/api-views.ts). */
export const TokenPairView = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds the access token lives. */
  expiresIn: z.number().int(),
  tokenType: z.literal('Bearer'),
});
export type TokenPairView = z.infer<typeof TokenPairView>;

/** The TOTP secret to enter in an authenticator app, as text and as an otpauth:// URI (for a QR code). */
export const MfaSetupView = z.object({ secret: z.string(), otpauthUri: z.string() });
export type MfaSetupView = z.infer<typeof MfaSetupView>;
