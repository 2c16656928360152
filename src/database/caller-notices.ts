import type { Client } from 'pg';

/** The channel of migrations/1796172000000-CallerChangeNotices.ts. */
export const CALLER_CHANNEL = 'tawjih_callers';

/** A caller's user, organisation or session (refresh-token family) changed; `all` after a TRUNCATE. */
export type CallerNotice = { kind: 'user' | 'organisation' | 'session'; id: string } | { kind: 'all' };

const KINDS = { u: 'user', o: 'organisation', s: 'session' } as const;

/**
 * The changes to callers that PostgreSQL announces (on `tawjih_callers`), heard on every connection
 * of the primary's pool: each one LISTENs before it is first used (`onConnect`).
 *
 * Why every connection: PostgreSQL hands a session its own notices at commit, before it says it is
 * ready again. So when this process commits a change to a caller, whatever is listening here has
 * heard of it before the commit's promise resolves — before the answer that says "done" is sent.
 * Changes made elsewhere (another process, psql) arrive on whichever connection is idle first.
 *
 * What is heard is only true while some connection listens: when the last one closes (idle, or the
 * server went away) changes may pass unheard, so `epoch` moves and listeners forget everything.
 */
export class CallerNotices {
  private listening = 0;
  private readonly listeners = new Set<(notice: CallerNotice) => void>();
  /** Moves at every notice and whenever nothing listens any more: a read begun at another epoch may be stale. */
  epoch = 0;

  /** Whether a connection listens now (what was heard since the last forget is all there was). */
  get live(): boolean {
    return this.listening > 0;
  }

  /** pg-pool's hook for each new connection (`extra.onConnect`): LISTEN, then the pool hands it out. */
  readonly onConnect = async (client: Client): Promise<void> => {
    // Heard from the first message on: one may come in the same packet as LISTEN's answer.
    client.on('notification', (m) => {
      if (m.channel === CALLER_CHANNEL) this.publish(parse(m.payload ?? ''));
    });
    await client.query(`LISTEN ${CALLER_CHANNEL}`);
    this.listening++;
    client.once('end', () => {
      if (--this.listening === 0) this.publish({ kind: 'all' });
    });
  };

  subscribe(fn: (notice: CallerNotice) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private publish(notice: CallerNotice): void {
    this.epoch++;
    for (const fn of this.listeners) fn(notice);
  }
}

function parse(payload: string): CallerNotice {
  const kind = KINDS[payload.slice(0, 1) as keyof typeof KINDS];
  // Anything else (a TRUNCATE's `*`, a payload this version does not know): forget everything.
  return kind && payload[1] === ':' ? { kind, id: payload.slice(2) } : { kind: 'all' };
}

/** The notices of a data source whose options `withCallerNotices` made (none for the replica, the CLI, the benches). */
const bySource = new WeakMap<object, CallerNotices>();

/** Options for the primary's pool with every connection listening; `callerNoticesOf(extra)` finds them again. */
export function withCallerNotices<T extends { extra?: object }>(options: T): T {
  const notices = new CallerNotices();
  const extra = { ...options.extra, onConnect: notices.onConnect };
  bySource.set(extra, notices);
  return { ...options, extra };
}

export function callerNoticesOf(extra: unknown): CallerNotices | undefined {
  return extra && typeof extra === 'object' ? bySource.get(extra) : undefined;
}
