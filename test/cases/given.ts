import type { TestApp } from '../support/test-app.js';

/** Set-up that reads like the domain: `await given(t).caseFor(DEMO.counsellorOujda, {...})`. */
export function given(t: TestApp) {
  return {
    async userId(email: string): Promise<string> {
      const r = await t.db.query('SELECT id FROM app_user WHERE email = $1', [email]);
      return r.rows[0].id as string;
    },
    async organisationId(name: string): Promise<string> {
      const r = await t.db.query('SELECT id FROM organisation WHERE name LIKE $1', [`${name}%`]);
      return r.rows[0].id as string;
    },
    /** Opens a case as `email`; returns the created body (case, needs, possibleDuplicates). */
    async caseFor(email: string, person: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
      const res = await (await t.as(email))
        .post('/api/v1/cases')
        .send({ person: { givenName: 'Test', familyName: 'Personne', sex: 'female', birthDate: '1995-05-05', ...person }, needs: ['mhpss'], ...extra });
      if (res.status !== 201) throw new Error(`case creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { case: { id: string; code: string; personId: string; status: string; version: number }; needs: Array<{ id: string }>; possibleDuplicates: Array<{ caseId: string; matchedOn: string[] }> };
    },
    async incidentOn(email: string, caseId: string) {
      const res = await (await t.as(email)).post(`/api/v1/cases/${caseId}/incidents`).send({ type: 'physical_assault', placeType: 'street', timeElapsed: 'over_1_month' });
      if (res.status !== 201) throw new Error(`incident failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string };
    },
  };
}
