import { appointmentInstant } from './referral-commands.service.js';

describe('an appointment as the API receives it', () => {
  it('without an offset, is a wall time in Morocco with the offset of that day (Ramadan included)', () => {
    expect(appointmentInstant('2026-12-10T10:00').toISOString()).toBe('2026-12-10T09:00:00.000Z'); // +01
    expect(appointmentInstant('2027-02-15T10:00:00').toISOString()).toBe('2027-02-15T10:00:00.000Z'); // Ramadan, +00
    expect(appointmentInstant('2026-03-21T10:00').toISOString()).toBe('2026-03-21T10:00:00.000Z'); // last day at +00
    expect(appointmentInstant('2026-03-22T10:00').toISOString()).toBe('2026-03-22T09:00:00.000Z'); // back to +01
  });

  it('with an offset, is that instant', () => {
    expect(appointmentInstant('2027-02-15T10:00:00Z').toISOString()).toBe('2027-02-15T10:00:00.000Z');
    expect(appointmentInstant('2026-12-10T10:00:00+01:00').toISOString()).toBe('2026-12-10T09:00:00.000Z');
  });

  it('a wall time the clock jumps over moves forward by the jump; one that happens twice is the earlier', () => {
    // 22 March 2026, 02:00 (+00) → 03:00 (+01): 02:30 does not exist and is read as 03:30 (+01).
    expect(appointmentInstant('2026-03-22T02:30').toISOString()).toBe('2026-03-22T02:30:00.000Z');
    // 15 February 2026, 03:00 (+01) → 02:00 (+00): 02:30 happens twice, first at +01.
    expect(appointmentInstant('2026-02-15T02:30').toISOString()).toBe('2026-02-15T01:30:00.000Z');
  });
});
