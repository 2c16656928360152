import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { validationError, type FieldError } from './domain-error.js';

/** class-validator's nested errors as one list of fields (`person.sex`), an unknown field named as such. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? `unknown field "${field}"` : message,
    }));
    return own.concat(flattenValidationErrors(e.children ?? [], field));
  });
}

/**
 * A DTO instance has every declared field as an own property, `undefined` when not sent (class
 * fields are defined on construction from ES2022 on): a service spreading `{ ...row, ...dto }`
 * would erase what a PATCH did not mention. The fields not sent are removed, at every depth.
 */
function dropUnset(v: unknown): unknown {
  if (Array.isArray(v)) v.forEach(dropUnset);
  else if (v && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete (v as Record<string, unknown>)[k];
      else dropUnset(x);
    }
  }
  return v;
}

class UnsetDroppingValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const out = await super.transform(value, metadata);
    // Only a body or a query becomes a DTO instance; the caller and its ability (custom parameters,
    // passed through untouched) are not walked on every request (issue #18).
    return metadata.type === 'body' || metadata.type === 'query' ? dropUnset(out) : out;
  }
}

/** Whitelist, reject unknown fields, transform; failures become VALIDATION_FAILED with each field named. */
export const globalValidationPipe = () =>
  new UnsetDroppingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationError(flattenValidationErrors(errors)),
  });
