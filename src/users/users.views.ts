import { z } from 'zod';
import { pageOf } from '../common/api-views.js';
import { ORGANISATION_TYPES, ROLES } from '../vocabulary/codes.js';
import { LANGUAGES } from '../vocabulary/languages.js';
import { USER_STATUSES } from './user.entity.js';

/** What the API shows of a user: never the hash, the TOTP secret or the lock counters. */
export const UserView = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  organisationId: z.uuid(),
  roles: z.array(z.enum(ROLES)),
  language: z.enum(LANGUAGES),
  status: z.enum(USER_STATUSES),
  mfaEnabled: z.boolean(),
  lastLoginAt: z.date().nullable(),
  isDemo: z.boolean(),
  createdAt: z.date(),
});
export type UserView = z.infer<typeof UserView>;

export const UserPageView = pageOf(UserView);
export type UserPageView = z.infer<typeof UserPageView>;

/** The caller's own account, with the organisation it belongs to. */
export const MeView = UserView.extend({
  organisation: z.object({
    id: z.uuid(),
    name: z.string(),
    /** The name in Arabic where the directory holds it. */
    nameAr: z.string().nullable(),
    type: z.enum(ORGANISATION_TYPES),
    code: z.string().nullable(),
    regionId: z.uuid().nullable(),
    provinceId: z.uuid().nullable(),
  }),
});
export type MeView = z.infer<typeof MeView>;

/** A one-time link to set the password was e-mailed; it expires then. */
export const PasswordLinkView = z.object({ sent: z.literal(true), expiresAt: z.date() });
export type PasswordLinkView = z.infer<typeof PasswordLinkView>;
