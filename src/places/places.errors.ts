import { DomainError } from '../common/domain-error.js';

export const PlaceErrors = {
  codeTaken: () => new DomainError(409, 'PLACE_CODE_TAKEN', 'A place with this code exists.'),
  badParent: (expected: string) =>
    new DomainError(400, 'PLACE_PARENT_INVALID', `The parent must be a ${expected}.`, [
      { field: 'parentId', message: `must be a ${expected}` },
    ]),
};
