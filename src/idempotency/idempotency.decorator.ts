import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { validationError } from '../common/domain-error.js';

const VALID = /^[\x21-\x7e]{1,200}$/;

/** The `Idempotency-Key` header (optional): 1–200 visible ASCII characters, else 400. */
export const IdempotencyKeyHeader = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !VALID.test(value)) {
    throw validationError([{ field: 'Idempotency-Key', message: 'must be 1–200 visible ASCII characters' }], 'The Idempotency-Key header is malformed.');
  }
  return value;
});

export const ApiIdempotencyKey = () =>
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeat-safe creation: the same key and body return the first result; the same key with another body is 422 IDEMPOTENCY_KEY_REUSED.' });
