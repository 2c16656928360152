import { DomainError, validationError } from '../common/domain-error.js';

export const ActivityErrors = {
  badPlace: () => validationError([{ field: 'placeId', message: 'must be a known region, province or commune' }], 'The place is not a region, province or commune.'),
  duplicateGroup: (index: number) =>
    validationError([{ field: `participants.${index}`, message: 'organisation type and sex already given in an earlier entry' }]),
  badPeriod: () => validationError([{ field: 'from', message: 'must not be after "to"' }], 'The period ends before it starts.'),
  heldInFuture: () => new DomainError(400, 'VALIDATION_FAILED', 'An activity is recorded once it has been held.', [{ field: 'heldOn', message: 'must not be in the future' }]),
};
