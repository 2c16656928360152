import { DomainError } from '../common/domain-error.js';

export const UserErrors = {
  emailTaken: () => new DomainError(409, 'USER_EMAIL_TAKEN', 'A user with this e-mail exists.'),
  roleNotAllowed: (role: string, orgType: string) =>
    new DomainError(400, 'ROLE_NOT_ALLOWED', `The role ${role} cannot be held in a ${orgType.replace('_', ' ')}.`, [
      { field: 'roles', message: `${role} is not allowed for a ${orgType}` },
    ]),
  unknownOrganisation: () =>
    new DomainError(400, 'VALIDATION_FAILED', 'Unknown organisation.', [{ field: 'organisationId', message: 'unknown organisation' }]),
  tokenInvalid: () => new DomainError(400, 'TOKEN_INVALID', 'This link is invalid, expired or already used.'),
  cannotDisableSelf: () => new DomainError(409, 'CANNOT_DISABLE_SELF', 'You cannot disable your own account.'),
};
