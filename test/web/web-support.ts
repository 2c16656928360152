import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type { TestApp } from '../support/test-app.js';
import { DEMO_PASSWORD } from '../support/test-app.js';

/** The anti-forgery token of the first form on a page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1]!;
}

/** A cookie-keeping browser-like client. */
export function browser(t: TestApp): TestAgent {
  return request.agent(t.app.getHttpServer());
}

/** Signs a browser-like client in through the login form. */
export async function signIn(t: TestApp, email: string, password = DEMO_PASSWORD): Promise<TestAgent> {
  const agent = browser(t);
  const form = await agent.get('/login').expect(200);
  const res = await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), email, password, next: '/dashboard' });
  if (res.status !== 303) throw new Error(`sign-in of ${email} failed: ${res.status}`);
  return agent;
}

/** Posts a form the way a browser would: fetches `page` for its token first. */
export async function postForm(agent: TestAgent, page: string, action: string, fields: Record<string, string | string[]>) {
  const html = (await agent.get(page)).text;
  return agent.post(action).type('form').send({ _csrf: csrfOf(html), ...fields });
}
