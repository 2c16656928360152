import { DomainError } from '../common/domain-error.js';

export const OrganisationErrors = {
  codeTaken: () => new DomainError(409, 'ORGANISATION_CODE_TAKEN', 'Another organisation uses this code.'),
  codeRequired: () =>
    new DomainError(400, 'VALIDATION_FAILED', 'A counselling unit needs a code for its case codes.', [
      { field: 'code', message: 'required for a counselling unit' },
    ]),
  badPlace: () =>
    new DomainError(400, 'VALIDATION_FAILED', 'The place must be a known region or province.', [
      { field: 'placeId', message: 'must be a region or province' },
    ]),
};
