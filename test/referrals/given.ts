import type { TestApp } from '../support/test-app.js';
import { DEMO } from '../support/test-app.js';

export interface GivenCase {
  id: string;
  code: string;
  needs: Array<{ id: string; category: string }>;
  need: (category: string) => string;
}

/** Referral set-up that reads like the domain: a case in a unit, a consent, a service to refer to. */
export function given(t: TestApp) {
  const self = {
    async userId(email: string): Promise<string> {
      return (await t.db.query('SELECT id FROM app_user WHERE email = $1', [email])).rows[0].id as string;
    },
    async orgOf(email: string): Promise<string> {
      return (await t.db.query('SELECT organisation_id AS id FROM app_user WHERE email = $1', [email])).rows[0].id as string;
    },
    /** A case opened by `counsellor` with the given needs (cases API). */
    async caseIn(counsellor: string = DEMO.counsellorOujda, needs: string[] = ['mhpss'], person: Record<string, unknown> = {}): Promise<GivenCase> {
      const res = await (await t.as(counsellor))
        .post('/api/v1/cases')
        .send({ person: { givenName: 'Aminata', familyName: 'Diallo', sex: 'female', birthDate: '1996-02-10', phone: '+212600112233', nationality: 'GN', populationGroup: 'migrant', languages: ['fr'], ...person }, needs });
      if (res.status !== 201) throw new Error(`case creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      const list = (res.body.needs as Array<{ id: string; category: string }>).map((n) => ({ id: n.id, category: n.category }));
      return { id: res.body.case.id, code: res.body.case.code, needs: list, need: (c) => list.find((n) => n.category === c)!.id };
    },
    /** Records a consent on the case (cases API); returns its id. */
    async consent(counsellor: string, caseId: string, body: { categories?: string[]; organisationIds?: string[]; fields: string[] }): Promise<string> {
      const res = await (await t.as(counsellor)).post(`/api/v1/cases/${caseId}/consents`).send({ givenBy: 'person', method: 'verbal', ...body });
      if (res.status !== 201) throw new Error(`consent failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    },
    async withdraw(counsellor: string, caseId: string, consentId: string) {
      const res = await (await t.as(counsellor)).post(`/api/v1/cases/${caseId}/consents/${consentId}/withdraw`).send({});
      if (res.status >= 300) throw new Error(`withdraw failed: ${res.status} ${JSON.stringify(res.body)}`);
    },
    /**
     * A service at a location of the provider organisation of `providerEmail` offering `category` (directory seed).
     * The seed writes its services in one transaction (one created_at): the name breaks the tie, so every run picks
     * the same service (Oujda's mhpss → « Soutien psychosocial individuel », open weekdays 08:30–16:30).
     */
    async serviceAtLocation(providerEmail: string, directoryCategory: string): Promise<{ salId: string; serviceId: string; organisationId: string }> {
      const r = await t.db.query(
        `SELECT sal.id AS sal_id, s.id AS service_id, s.organisation_id
           FROM service_at_location sal JOIN service s ON s.id = sal.service_id
          WHERE s.organisation_id = (SELECT organisation_id FROM app_user WHERE email = $1) AND $2 = ANY(s.categories) AND s.status = 'active'
          ORDER BY s.created_at, s.capacity_status = 'accepting' DESC, s.name_fr, sal.id LIMIT 1`,
        [providerEmail, directoryCategory],
      );
      if (!r.rows[0]) throw new Error(`no ${directoryCategory} service for ${providerEmail}`);
      return { salId: r.rows[0].sal_id, serviceId: r.rows[0].service_id, organisationId: r.rows[0].organisation_id };
    },
    /** Case + consent + a sent referral to the PSS provider of Oujda (mhpss). */
    async sentReferral(opts: { sharedFields?: string[]; priority?: string; counsellor?: string } = {}) {
      const counsellor = opts.counsellor ?? DEMO.counsellorOujda;
      const c = await self.caseIn(counsellor, ['mhpss']);
      const target = await self.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
      const fields = opts.sharedFields ?? ['age_band', 'sex', 'languages'];
      await self.consent(counsellor, c.id, { categories: ['mhpss'], fields: [...new Set([...fields, 'age_band'])] });
      const res = await (await t.as(counsellor))
        .post('/api/v1/referrals')
        .send({ caseId: c.id, needId: c.need('mhpss'), serviceAtLocationId: target.salId, priority: opts.priority ?? 'urgent', sharedFields: fields, noteForProvider: 'Prefers a female counsellor.', send: true });
      if (res.status !== 201) throw new Error(`referral failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { case: c, target, referral: res.body as { id: string; reference: string; status: string; version: number } };
    },
  };
  return self;
}
