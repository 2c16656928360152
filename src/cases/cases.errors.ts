import { conflict, DomainError, validationError } from '../common/domain-error.js';

/** Errors of the cases feature; their codes are stable. Details never quote personal data. */
export const CaseErrors = {
  unitHasNoCode: () => new DomainError(409, 'UNIT_HAS_NO_CODE', 'This counselling unit has no code for case codes; an admin must set one.'),
  changedMeanwhile: () => conflict('CASE_CHANGED', 'The case was changed by someone else meanwhile; reload it and try again.'),
  transitionNotAllowed: (from: string, to: string) => conflict('CASE_TRANSITION_NOT_ALLOWED', `A case cannot go from ${from} to ${to}.`),
  closed: () => conflict('CASE_CLOSED', 'The case is closed; reopen it first.'),
  anonymised: () => conflict('CASE_ANONYMISED', 'The case was anonymised under the retention rule.'),
  needAlreadyOpen: () => conflict('NEED_ALREADY_OPEN', 'This case already has an open need of that category.'),
  consentAlreadyWithdrawn: () => conflict('CONSENT_ALREADY_WITHDRAWN', 'This consent was already withdrawn.'),
  deliveryAlreadyRecorded: () => conflict('DELIVERY_ALREADY_RECORDED', 'A delivery is already recorded for this referral.'),
  field: (field: string, message: string) => validationError([{ field, message }]),
};
