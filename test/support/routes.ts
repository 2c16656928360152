import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { IS_PUBLIC, POLICIES } from '../../src/authorization/policies.js';

export interface Route {
  /** `METHOD /path/:param` */
  route: string;
  method: string;
  path: string;
  isPublic: boolean;
  policies: number;
}

/** Every route the app serves, read from the controllers' metadata (what the guard will see). */
export function routesOf(app: INestApplication): Route[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const out: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const base = ([] as string[]).concat(reflector.get(PATH_METADATA, metatype) ?? '')[0] ?? '';
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as object;
      const path = reflector.get<string | string[] | undefined>(PATH_METADATA, handler as never);
      if (path === undefined) continue;
      const method = RequestMethod[reflector.get<number>(METHOD_METADATA, handler as never)]!;
      const isPublic = Boolean(reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler as never, metatype]));
      const policies = (reflector.get<unknown[]>(POLICIES, handler as never) ?? []).length;
      const full = `/${[base, ...([] as string[]).concat(path)].filter(Boolean).join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
      out.push({ route: `${method} ${full}`, method, path: full, isPublic, policies });
    }
  }
  return out;
}
