import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 is refused). */
export const IsDateOnly = () =>
  applyDecorators(
    Matches(DATE_ONLY, { message: ({ property }) => `${property} must be a date YYYY-MM-DD` }),
    IsISO8601({ strict: true }, { message: ({ property }) => `${property} must be a real calendar date` }),
  );
