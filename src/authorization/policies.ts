import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AppAbility, Action, Subject } from './ability.factory.js';
import type { Actor } from './actor.js';

export const IS_PUBLIC = 'tawjih:public';
export const POLICIES = 'tawjih:policies';

/** The route answers without a signed-in user. Every other route needs a user and a policy. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export type PolicyHandler = (ability: AppAbility) => boolean;

/**
 * What kind of action the route is. The guard refuses with 403 when the ability has no rule that
 * could allow it (for any record); the service then checks the record itself inside its scope.
 */
export const CheckPolicies = (...handlers: PolicyHandler[]) => SetMetadata(POLICIES, handlers);

/** Shorthand: `@Can('read', 'Case')`. */
export const Can = (action: Action, subject: Subject) => CheckPolicies((a) => a.can(action, subject));

/** The route only needs a signed-in user (e.g. /me, logout). */
export const Authenticated = () => CheckPolicies(() => true);

export interface AuthedRequest {
  user?: Actor;
  ability?: AppAbility;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});

/** The caller on a public route: the actor when a valid token was sent, else undefined. */
export const OptionalActor = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor | undefined => ctx.switchToHttp().getRequest<AuthedRequest>().user,
);

export const CurrentAbility = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AppAbility => ctx.switchToHttp().getRequest<AuthedRequest>().ability!,
);

export const ALLOW_WITHOUT_MFA = 'tawjih:allow-without-mfa';

/**
 * When MFA_REQUIRED=true, a user of a case-reading role who signed in without a second factor may
 * only use the routes marked with this (enrol a factor, see who they are, sign out).
 */
export const AllowWithoutMfa = () => SetMetadata(ALLOW_WITHOUT_MFA, true);
