import { moroccoToday } from './referral-views.service.js';

describe('moroccoToday (the slip’s opening hours of the day)', () => {
  it('is the date and weekday on Morocco’s wall clock, not the server’s', () => {
    // Sunday 23:30 UTC is already Monday 00:30 in Morocco (+01).
    expect(moroccoToday(new Date('2026-12-06T23:30:00Z'))).toEqual({ day: 'MO', date: '2026-12-07' });
    // In Ramadan Morocco is at +00: still Sunday.
    expect(moroccoToday(new Date('2027-02-14T23:30:00Z'))).toEqual({ day: 'SU', date: '2027-02-14' });
  });

  it('names every weekday', () => {
    const days = Array.from({ length: 7 }, (_, i) => moroccoToday(new Date(Date.UTC(2026, 11, 7 + i, 12))).day);
    expect(days).toEqual(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);
  });
});
