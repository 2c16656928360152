import type { MailRecipient } from '../common/mail-events.js';
import type { DirectoryReadService, ReferralTarget } from '../directory/directory-read.service.js';
import { pick } from '../directory/taxonomy.data.js';

/**
 * The services one request reads, each once: the step, its e-mails and the answer share what the
 * drafting read (same transaction). Made per request, never kept.
 */
export class ReferralTargets {
  private readonly byId = new Map<string, ReferralTarget | null>();

  constructor(private readonly directory: DirectoryReadService) {}

  /** A page of referrals' services in one statement, not one per referral. */
  static async forPage(directory: DirectoryReadService, serviceIds: string[]): Promise<ReferralTargets> {
    const targets = new ReferralTargets(directory);
    for (const [id, t] of await directory.getServicesForReferrals(serviceIds)) targets.byId.set(id, t);
    return targets;
  }

  remember(target: ReferralTarget): void {
    this.byId.set(target.serviceId, target);
  }

  /** A service this request has read already (a page's, after `forPage`), or null. */
  known(serviceId: string): ReferralTarget | null {
    return this.byId.get(serviceId) ?? null;
  }

  async of(serviceId: string): Promise<ReferralTarget | null> {
    if (!this.byId.has(serviceId)) this.byId.set(serviceId, await this.directory.getServiceForReferral(serviceId));
    return this.byId.get(serviceId) ?? null;
  }
}

/** A service's name in a language, else French (the directory's `pick`), else any it holds. */
export const serviceName = (t: Pick<ReferralTarget, 'name'> | null, l: keyof ReferralTarget['name']) => (t ? (pick(t.name, l) ?? '') : '');

/** A service's focal points as e-mail recipients: their own address, or their account's (read with the service), each address once. */
export function focalContacts(focalPoints: ReferralTarget['focalPoints']): MailRecipient[] {
  const out = new Map<string, MailRecipient>();
  for (const f of focalPoints) {
    const email = f.email ?? (f.userId ? f.accountEmail : null);
    if (email && !out.has(email)) out.set(email, { email, language: f.language });
  }
  return [...out.values()];
}
