/**
 * The programme's clock. People type and read wall-clock times in Morocco; the database stores
 * instants. Morocco's offset is not fixed (+01, and +00 around Ramadan), so every conversion goes
 * through the IANA data Node ships, never through a constant offset.
 */
export const PROGRAMME_TIME_ZONE = 'Africa/Casablanca';

const WALL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: PROGRAMME_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall clock in Morocco at an instant, as the numbers of a UTC date (for arithmetic). */
function wallAsUtc(at: number): number {
  const p: Record<string, number> = {};
  for (const { type, value } of parts.formatToParts(at)) if (type !== 'literal') p[type] = Number(value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** Morocco's offset from UTC at an instant, in milliseconds. */
const offsetAt = (at: number): number => wallAsUtc(at) - Math.floor(at / 1000) * 1000;

/**
 * A wall time typed in Morocco (`YYYY-MM-DDTHH:mm`, as a `datetime-local` input sends it) → the
 * instant. A wall time that does not exist (the clock jumped over it) moves forward by the jump;
 * one that exists twice (the clock went back) is the earlier instant. Malformed or impossible
 * dates (2026-02-30) → null.
 */
export function wallTimeToInstant(wall: string): Date | null {
  const m = WALL.exec(wall.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  // The offsets in force a day either side cover any transition near this wall time.
  const offsets = [...new Set([offsetAt(asUtc - 86_400_000), offsetAt(asUtc), offsetAt(asUtc + 86_400_000)])];
  const matches = offsets.map((o) => asUtc - o).filter((t) => wallAsUtc(t) === asUtc);
  if (matches.length > 0) return new Date(Math.min(...matches));
  // In a gap: read it with the offset before the jump, which lands after the jump by the same amount.
  return new Date(asUtc - offsetAt(asUtc - 86_400_000));
}

/** The wall time in Morocco at an instant, `YYYY-MM-DDTHH:mm` (the value of a `datetime-local` input). */
export function instantToWallTime(at: Date | string): string {
  return new Date(wallAsUtc(new Date(at).getTime())).toISOString().slice(0, 16);
}

/** The calendar date in Morocco at an instant, `YYYY-MM-DD`. */
export function wallDateOf(at: Date | string = new Date()): string {
  return instantToWallTime(at).slice(0, 10);
}
