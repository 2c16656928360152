import { priorityLabel } from '../../src/vocabulary/index.js';
import { given } from '../referrals/given.js';
import { createTestApp, DEMO, type TestApp } from '../support/test-app.js';
import { signIn } from './web-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('priority texts on referral pages', () => {
  it('state the hours the service gives itself, not the default hours', async () => {
    const g = given(t);
    const target = await g.serviceAtLocation(DEMO.providerPssOujda, 'mhpss');
    await t.db.query('UPDATE service SET response_hours_urgent = 6, response_hours_emergency = 2 WHERE id = $1', [target.serviceId]);
    const { referral, case: c } = await g.sentReferral({ priority: 'urgent' });
    const own = priorityLabel('urgent', 6, 'fr');
    expect(own).toMatch(/ \(6 h\)$/);
    const stale = priorityLabel('urgent', null, 'fr');

    const agent = await signIn(t, DEMO.counsellorOujda);
    const show = await agent.get(`/referrals/${referral.id}`).expect(200);
    expect(show.text).toContain(own);
    expect(show.text).not.toContain(stale);

    const list = await agent.get('/referrals').expect(200);
    expect(list.text).toContain(own);

    // The wizard's choice of priority, once a service is chosen, offers that service's hours.
    const wizard = await agent.get(`/cases/${c.id}/refer`).query({ need: c.need('mhpss'), serviceAtLocationId: target.salId, fields: 'age_band' }).expect(200);
    expect(wizard.text).toContain(`>${priorityLabel('emergency', 2, 'fr')}</option>`);
    expect(wizard.text).toContain(`>${own}</option>`);
    expect(wizard.text).toContain(`>${priorityLabel('routine', null, 'fr')}</option>`);
  });
});
