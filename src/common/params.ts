import { ParseUUIDPipe } from '@nestjs/common';
import { validationError } from './domain-error.js';

/** `@Param('id', IdPipe)`: a malformed id is a 400 naming the parameter, never a database error. */
export const IdPipe = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => validationError([{ field: 'id', message: 'must be a UUID' }], 'The id in the path is not a UUID.'),
});
