import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Actor } from '../authorization/actor.js';
import { CallerNotices, type CallerNotice } from '../database/caller-notices.js';
import { UsersRepository } from './users.repository.js';

/** At most this many callers (token version and session) are remembered; the oldest go first. */
const MAX_CALLERS = 10_000;
/** And none longer than this: a bound should a notice ever be lost in a way not foreseen here. */
const REMEMBERED_MS = 60_000;

interface Remembered {
  actor: Actor;
  sessionId: string | null;
  until: number;
}

/**
 * The callers of access tokens, read once and then remembered until PostgreSQL announces a change
 * to them (database/caller-notices.ts): a disabled account, changed roles, a moved or closed
 * organisation, a session signed out. Before, every request re-read its caller: on these machines
 * that round trip was a millisecond of a 7–12 ms report (issue #15).
 *
 * "At once" is kept: a change this process commits is heard before its commit resolves, so the
 * next request after the answer to it is refused; a change made elsewhere is heard as soon as one
 * of the pool's connections is idle. Nothing is remembered while no connection listens, nor from
 * a read that a notice overtook (`epoch`), and only callers that were found (a refused token is
 * read again each time, as before).
 */
@Injectable()
export class RememberedCallers implements OnModuleDestroy {
  private readonly callers = new Map<string, Remembered>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly users: UsersRepository,
    private readonly notices: CallerNotices,
  ) {
    this.unsubscribe = notices.subscribe((n) => this.forget(n));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  /** The caller of a token (its user, token version and session), or null when the token no longer counts. */
  async actorFor(userId: string, tokenVersion: number, sessionId: string | null): Promise<Actor | null> {
    const key = `${userId}|${tokenVersion}|${sessionId ?? ''}`;
    const known = this.callers.get(key);
    if (known && known.until > Date.now() && this.notices.live) return known.actor;
    if (known) this.callers.delete(key);
    const epoch = this.notices.epoch;
    const actor = await this.users.actorFor(userId, tokenVersion, sessionId);
    // Read on a listening connection: true until a notice says otherwise, unless one came during the read.
    if (actor && epoch === this.notices.epoch && this.notices.live) {
      if (this.callers.size >= MAX_CALLERS) this.callers.delete(this.callers.keys().next().value!);
      // Shared by the requests that find it: frozen, so that none can change it for the others.
      this.callers.set(key, { actor: Object.freeze({ ...actor, roles: Object.freeze([...actor.roles]) as Actor['roles'] }), sessionId, until: Date.now() + REMEMBERED_MS });
    }
    return actor;
  }

  /** Whether a caller of this user is remembered (what the tests look at). */
  remembers(userId: string): boolean {
    return [...this.callers.values()].some((c) => c.actor.userId === userId);
  }

  private forget(notice: CallerNotice): void {
    if (notice.kind === 'all') return this.callers.clear();
    for (const [key, c] of this.callers) {
      const hit =
        notice.kind === 'user' ? c.actor.userId === notice.id : notice.kind === 'organisation' ? c.actor.organisationId === notice.id : c.sessionId === notice.id;
      if (hit) this.callers.delete(key);
    }
  }
}
