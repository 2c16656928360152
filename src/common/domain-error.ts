export interface FieldError {
  field: string;
  message: string;
}

/**
 * An error the domain expects and the client can act on. `code` is stable (clients and tests key
 * on it); `detail` is for people and must never contain personal data.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export const validationError = (errors: FieldError[], detail = 'The request has invalid fields.') =>
  new DomainError(400, 'VALIDATION_FAILED', detail, errors);

/** Out-of-scope and missing look the same from outside: both are 404. */
export const notFound = (what = 'resource') => new DomainError(404, 'NOT_FOUND', `No such ${what}.`);

export const conflict = (code: string, detail: string, extra?: Record<string, unknown>) =>
  new DomainError(409, code, detail, undefined, extra);
