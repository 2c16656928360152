import pg from 'pg';
import { RememberedCallers } from '../../src/users/remembered-callers.js';
import { CALLER_CHANNEL, CallerNotices, type CallerNotice } from '../../src/database/caller-notices.js';
import { TransactionHost } from '../../src/database/transaction.js';
import { DEMO, DEMO_PASSWORD } from '../support/test-app.js';
import { appRecordingStatements } from '../support/statements.js';

/**
 * The caller of an access token is read once and remembered until PostgreSQL announces a change
 * to it (src/users/remembered-callers.ts, migrations/…-CallerChangeNotices.ts): changes still stop a
 * token at once, whoever makes them.
 */
const app = appRecordingStatements();

const CALLER_READ = /^SELECT u\.id, u\.organisation_id/;
const userId = async (email: string) => (await app.t.db.query('SELECT id FROM app_user WHERE email = $1', [email])).rows[0].id as string;
const freshToken = async (email: string) => (await app.t.http().post('/api/v1/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200)).body.accessToken as string;
const me = (token: string) => app.t.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`);
const callerReads = () => app.statements.filter((s) => CALLER_READ.test(s)).length;

describe('remembered callers', () => {
  it('read a token’s caller once, then not again', async () => {
    const token = await freshToken(DEMO.counsellor2Oujda);
    app.statements.length = 0;
    await me(token).expect(200);
    expect(callerReads()).toBe(1);
    for (let i = 0; i < 3; i++) await me(token).expect(200);
    expect(callerReads()).toBe(1);
  });

  it('forget a caller when this process commits a change to it, before the commit resolves', async () => {
    const token = await freshToken(DEMO.counsellorBerkane);
    await me(token).expect(200);
    const callers = app.t.app.get(RememberedCallers);
    const id = await userId(DEMO.counsellorBerkane);
    expect(callers.remembers(id)).toBe(true);
    // Through the app's own pool, as any command of the app writes.
    const before = (await me(token).expect(200)).body.language as string;
    const other = before === 'ar' ? 'fr' : 'ar';
    await app.t.app.get(TransactionHost).run((m) => m.query(`UPDATE app_user SET language = $2 WHERE id = $1`, [id, other]));
    expect(callers.remembers(id)).toBe(false);
    app.statements.length = 0;
    const res = await me(token).expect(200);
    expect(res.body.language).toBe(other);
    expect(callerReads()).toBe(1);
  });

  it('refuse a remembered token at once when an administrator disables its user through the API', async () => {
    const token = await freshToken(DEMO.providerPssOujda);
    await me(token).expect(200);
    await me(token).expect(200);
    const admin = await app.t.as(DEMO.admin);
    const id = await userId(DEMO.providerPssOujda);
    await admin.post(`/api/v1/users/${id}/disable`).expect(200);
    await me(token).expect(401);
    await admin.post(`/api/v1/users/${id}/enable`).expect(200);
  });

  it('refuse a remembered token once its session is signed out', async () => {
    const res = await app.t.http().post('/api/v1/auth/login').send({ email: DEMO.counsellorOujda, password: DEMO_PASSWORD }).expect(200);
    const { accessToken, refreshToken } = res.body as { accessToken: string; refreshToken: string };
    await me(accessToken).expect(200);
    await app.t.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${accessToken}`).send({ refreshToken }).expect(204);
    await me(accessToken).expect(401);
  });

  it('hear changes made outside the app (psql): a closed organisation stops its remembered callers', async () => {
    const token = await freshToken(DEMO.providerHealthOujda);
    await me(token).expect(200);
    app.statements.length = 0;
    await me(token).expect(200);
    expect(callerReads()).toBe(0); // remembered
    const org = (await app.t.db.query(`SELECT organisation_id FROM app_user WHERE email = $1`, [DEMO.providerHealthOujda])).rows[0].organisation_id as string;
    // The test's own connection, not the app's: the notice reaches the app on one of its idle connections.
    await app.t.db.query(`UPDATE organisation SET status = 'inactive' WHERE id = $1`, [org]);
    let status = 200;
    for (const until = Date.now() + 5_000; status === 200 && Date.now() < until; ) {
      status = (await me(token)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(401);
    await app.t.db.query(`UPDATE organisation SET status = 'active' WHERE id = $1`, [org]);
    await me(token).expect(200);
  });
});

describe('caller notices (the triggers and the listening connection)', () => {
  it('announce the changes that matter, not the others, and forget everything once nothing listens', async () => {
    const notices = new CallerNotices();
    const heard: CallerNotice[] = [];
    notices.subscribe((n) => heard.push(n));
    const client = new pg.Client({ connectionString: (app.t.db as unknown as { options: { connectionString: string } }).options.connectionString });
    await client.connect();
    await notices.onConnect(client);
    expect(notices.live).toBe(true);
    const id = await userId(DEMO.counsellor2Oujda);
    const until = async (n: number) => {
      for (const end = Date.now() + 5_000; heard.length < n && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
    };
    await app.t.db.query(`UPDATE app_user SET last_login_at = now(), failed_logins = 0 WHERE id = $1`, [id]); // no notice
    await app.t.db.query(`UPDATE app_user SET roles = roles WHERE id = $1`, [id]); // unchanged: no notice
    await app.t.db.query(`UPDATE app_user SET token_version = token_version + 1 WHERE id = $1`, [id]);
    await until(1);
    await freshToken(DEMO.counsellor2Oujda); // a session of its own, one refresh token
    const session = (await app.t.db.query(`SELECT id, family_id FROM refresh_token WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`, [id])).rows[0];
    const family = session.family_id as string;
    await app.t.db.query(`UPDATE refresh_token SET revoked_at = now() WHERE id = $1`, [session.id]);
    await until(2);
    await app.t.db.query(`SELECT pg_notify($1, 'something else')`, [CALLER_CHANNEL]);
    await until(3);
    expect(heard).toEqual([{ kind: 'user', id }, { kind: 'session', id: family }, { kind: 'all' }].slice(0, heard.length));
    expect(heard).toHaveLength(3);
    const epoch = notices.epoch;
    await client.end();
    await until(4);
    expect(notices.live).toBe(false);
    expect(notices.epoch).toBe(epoch + 1);
    expect(heard.at(-1)).toEqual({ kind: 'all' });
  });
});
