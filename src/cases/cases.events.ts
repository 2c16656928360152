/**
 * Emitted with `emitAsync` inside the transaction that withdraws a consent, so listeners (the
 * referrals module cancels drafts that relied on it) write in the same transaction.
 */
export class ConsentWithdrawnEvent {
  static readonly topic = 'consent.withdrawn';
  constructor(
    readonly caseId: string,
    readonly consentId: string,
  ) {}
}
