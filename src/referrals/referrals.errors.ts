import { DomainError, conflict } from '../common/domain-error.js';
import type { ShareableField } from './shared-fields.js';
import type { ReferralStatus, ReferralTransition, TransitionProblem } from './referral-state.js';

export const ReferralErrors = {
  /** Illegal transition, or lost a race: names the state the referral is in now. */
  invalidState: (current: ReferralStatus, transition: ReferralTransition, allowedFrom: readonly ReferralStatus[]) =>
    conflict('REFERRAL_INVALID_STATE', `The referral is ${current}; "${transition}" is only possible from ${allowedFrom.join(' or ')}.`, {
      currentStatus: current,
      transition,
      allowedFrom,
    }),
  wrongSide: (transition: ReferralTransition | 'share-update') =>
    new DomainError(403, 'REFERRAL_NOT_YOUR_STEP', `"${transition}" is a step for the ${transition === 'send' || transition === 'cancel' || transition === 'share-update' ? 'referring unit' : 'receiving provider'}.`),
  /**
   * Corrections are shared only with a referral the provider holds and still may read: sent,
   * accepted or in progress, and not erased by a consent withdrawal.
   */
  notSharing: (current: ReferralStatus, consentWithdrawn: boolean) =>
    conflict(
      'REFERRAL_NOT_SHARING',
      consentWithdrawn
        ? 'A consent withdrawal erased what this referral shared: record a new consent and re-refer instead.'
        : `The referral is ${current}; corrections are shared only with a sent, accepted or started referral.`,
      { currentStatus: current, consentWithdrawn, allowedFrom: ['sent', 'accepted', 'in_progress'] },
    ),
  /** Lost a race with another change of the referral (a step, another share): read it again. */
  changedMeanwhile: () => conflict('REFERRAL_CHANGED', 'The referral was changed by someone else meanwhile; read it again and retry.'),
  consentMissing: () => new DomainError(422, 'CONSENT_MISSING', 'No consent is recorded for this case: record the person’s consent before sending a referral.'),
  consentWithdrawn: () => new DomainError(422, 'CONSENT_WITHDRAWN', 'The person withdrew their consent: no referral can be sent until a new consent is recorded.'),
  consentNotCovering: (missing: { category: boolean; organisation: boolean; fields: ShareableField[] }) =>
    new DomainError(
      422,
      'CONSENT_NOT_COVERING',
      `The consent does not cover this referral (${[missing.category && 'the service category', missing.organisation && 'the receiving organisation', missing.fields.length && `the fields ${missing.fields.join(', ')}`].filter(Boolean).join('; ')}).`,
      missing.fields.map((f) => ({ field: 'sharedFields', message: `consent does not cover "${f}"` })),
      { missing },
    ),
  caseNotOpen: () => new DomainError(422, 'CASE_NOT_OPEN', 'The case is closed or anonymised: reopen it before referring.'),
  needNotFound: () => new DomainError(422, 'NEED_NOT_IN_CASE', 'The need is not an open need of this case.', [{ field: 'needId', message: 'must be an open need of the case' }]),
  serviceNotFound: (field = 'serviceAtLocationId') =>
    new DomainError(422, 'SERVICE_NOT_FOUND', 'No such service at a location that you may refer to.', [{ field, message: 'must be a service at a location visible to you' }]),
  serviceNotAccepting: () => new DomainError(422, 'SERVICE_NOT_ACCEPTING', 'The service is inactive or not accepting referrals at the moment.'),
  categoryMismatch: () =>
    new DomainError(422, 'SERVICE_CATEGORY_MISMATCH', 'The service does not offer the category of this need.', [{ field: 'serviceAtLocationId', message: 'the service must offer the need’s category' }]),
  incidentsNotYours: () =>
    new DomainError(403, 'INCIDENTS_NOT_SHAREABLE', 'Only the assigned counsellor or a supervisor may share incident details.', [{ field: 'sharedFields', message: '"incident_summary" needs access to the incidents' }]),
  notReReferable: (current: ReferralStatus) =>
    conflict('REFERRAL_INVALID_STATE', `The referral is ${current}; only a declined or not completed referral can be re-referred.`, { currentStatus: current, transition: 're-refer', allowedFrom: ['declined', 'not_completed'] }),
  slipUnavailable: (current: ReferralStatus) =>
    conflict('REFERRAL_INVALID_STATE', `The referral is ${current}; a slip is printed only for a sent, accepted or started referral.`, { currentStatus: current, transition: 'slip', allowedFrom: ['sent', 'accepted', 'in_progress'] }),
  badInput: (problem: TransitionProblem) => {
    switch (problem.kind) {
      case 'reason_required':
        return new DomainError(400, 'REASON_REQUIRED', 'This step needs a reason code.', [{ field: 'reasonCode', message: `one of ${problem.allowed.join(', ')}` }]);
      case 'reason_unknown':
        return new DomainError(400, 'REASON_NOT_ALLOWED', 'This reason code does not apply to this step.', [{ field: 'reasonCode', message: `one of ${problem.allowed.join(', ')}` }]);
      case 'reason_text_required':
        return new DomainError(400, 'REASON_TEXT_REQUIRED', 'Reason "other" needs a short text.', [{ field: 'reasonText', message: 'required with reason "other"' }]);
      case 'outcome_required':
        return new DomainError(400, 'OUTCOME_REQUIRED', 'Completing needs an outcome code.', [{ field: 'outcomeCode', message: `one of ${problem.allowed.join(', ')}` }]);
      case 'outcome_unknown':
        return new DomainError(400, 'OUTCOME_NOT_ALLOWED', 'This outcome does not apply to the referral’s category.', [{ field: 'outcomeCode', message: `one of ${problem.allowed.join(', ')}` }]);
      case 'outcome_not_allowed':
        return new DomainError(400, 'OUTCOME_NOT_ALLOWED', 'Only "complete" takes an outcome code.', [{ field: 'outcomeCode', message: 'not accepted by this step' }]);
      case 'note_not_allowed':
        return new DomainError(400, 'NOTE_NOT_ALLOWED', 'Only decline, complete and not-complete carry a note back to the referring unit.', [{ field: 'noteForReferrer', message: 'not accepted by this step' }]);
      case 'start_now_not_allowed':
        return new DomainError(400, 'START_NOW_NOT_ALLOWED', 'Only "accept" can start the service at once.', [{ field: 'startNow', message: 'not accepted by this step' }]);
      default:
        return new DomainError(400, 'VALIDATION_FAILED', 'The request is not valid for this step.');
    }
  },
};
