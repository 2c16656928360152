import { ValidateBy, type ValidationOptions } from 'class-validator';
import { wallDateOf } from '../vocabulary/index.js';

/** `YYYY-MM-DD` that exists on the calendar (no 2023-02-30), optionally bounded by today. */
export function isCalendarDate(value: unknown, opts: { notFuture?: boolean; notBefore?: string } = {}): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return false;
  if (opts.notBefore && value < opts.notBefore) return false;
  // Today is Morocco's today: just after midnight there, UTC is still on yesterday.
  if (opts.notFuture && value > wallDateOf(new Date())) return false;
  return true;
}

/** A real calendar date; `notFuture` for birth and incident dates. */
export const IsCalendarDate = (opts: { notFuture?: boolean; notBefore?: string } = {}, validationOptions?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (v) => isCalendarDate(v, opts),
        defaultMessage: (a) =>
          `${a?.property} must be a real date as YYYY-MM-DD${opts.notFuture ? ', not in the future' : ''}${opts.notBefore ? `, not before ${opts.notBefore}` : ''}`,
      },
    },
    validationOptions,
  );

/** An ISO 8601 date-time that is not in the future (a few minutes of clock skew allowed). */
export const IsPastDateTime = (validationOptions?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isPastDateTime',
      validator: {
        validate: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)) && Date.parse(v) <= Date.now() + 5 * 60_000,
        defaultMessage: (a) => `${a?.property} must be an ISO 8601 date-time, not in the future`,
      },
    },
    validationOptions,
  );
