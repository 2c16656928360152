import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { IS_PUBLIC, POLICIES } from '../../src/authorization/policies.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface Route {
  route: string;
  isPublic: boolean;
  policies: number;
}

function routes(): Route[] {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  const reflector = t.app.get(Reflector);
  const out: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const base = ([] as string[]).concat(reflector.get(PATH_METADATA, metatype) ?? '')[0] ?? '';
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as object;
      const path = reflector.get<string | string[] | undefined>(PATH_METADATA, handler as never);
      if (path === undefined) continue;
      const method = RequestMethod[reflector.get<number>(METHOD_METADATA, handler as never)];
      const isPublic = Boolean(reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler as never, metatype]));
      const policies = (reflector.get<unknown[]>(POLICIES, handler as never) ?? []).length;
      out.push({ route: `${method} /${[base, ...([] as string[]).concat(path)].filter(Boolean).join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1'), isPublic, policies });
    }
  }
  return out;
}

describe('every route declares who may call it', () => {
  it('finds the routes (the enumeration itself works)', () => {
    const found = routes().map((r) => r.route);
    expect(found).toEqual(expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/users', 'GET /health']));
    expect(found.length).toBeGreaterThan(15);
  });

  it('is either @Public() or has a policy, never neither', () => {
    const bare = routes().filter((r) => !r.isPublic && r.policies === 0).map((r) => r.route);
    expect(bare).toEqual([]);
  });

  it('keeps the list of public routes deliberate', () => {
    const pub = routes().filter((r) => r.isPublic).map((r) => r.route);
    // Public API routes must be reviewed: auth entry points, health, and read-only public surfaces.
    for (const r of pub) {
      expect(r).toMatch(/^(POST \/api\/v1\/auth\/(login|refresh|logout|set-password)|GET \/health|GET \/api\/hsds(\/.*)?|GET .*|POST \/(login|logout|set-password|lang|language)(\/.*)?)$/);
    }
  });
});
