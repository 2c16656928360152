import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ConsentWithdrawnEvent } from '../cases/cases.events.js';
import { ReferralCommands } from './referral-commands.service.js';

/** Consent withdrawn → drafts cancelled, sent referrals no longer covered erased and cancelled, in the same transaction. */
@Injectable()
export class ReferralsListener {
  constructor(private readonly referrals: ReferralCommands) {}

  @OnEvent(ConsentWithdrawnEvent.topic, { suppressErrors: false })
  async onConsentWithdrawn(e: ConsentWithdrawnEvent): Promise<void> {
    await this.referrals.stopSharingWithoutConsent(e.caseId);
  }
}
