import type { PipeTransform } from '@nestjs/common';
import { notFound } from '../common/domain-error.js';
import { REFERRAL_TRANSITIONS, type ReferralTransition } from './referral-state.js';

/** `:transition` must name a step of the state machine; anything else is no route (404). API and pages alike. */
export const TransitionPipe: PipeTransform<string, ReferralTransition> = {
  transform(value: string) {
    if (!(REFERRAL_TRANSITIONS as readonly string[]).includes(value)) throw notFound('route');
    return value as ReferralTransition;
  },
};
