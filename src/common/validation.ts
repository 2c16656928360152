import { ValidationPipe, type ValidationError } from '@nestjs/common';
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

/** Whitelist, reject unknown fields, transform; failures become VALIDATION_FAILED with each field named. */
export const globalValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationError(flattenValidationErrors(errors)),
  });
