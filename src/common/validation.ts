import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { validationError, type FieldError } from './domain-error.js';

type Storage = {
  getTargetValidationMetadatas(target: unknown, schema: unknown, always: boolean, strictGroups: boolean, groups?: string[]): unknown[];
  groupByPropertyName(metadatas: unknown[]): unknown;
  addValidationMetadata(metadata: unknown): void;
  addConstraintMetadata(metadata: unknown): void;
};
let remembering = false;

/**
 * class-validator looks up a class's rules on every validation (the request's DTO and each nested
 * one) by walking every validated class of the app for inherited rules — a few hundred `instanceof`
 * per lookup (issue #18). Its answers are remembered here per class and options, and forgotten as
 * soon as any rule is added (classes declared later), so a lookup answers what a fresh one would.
 * The lists are shared and only read (as class-validator itself reads them).
 */
function rememberValidationRules(): void {
  if (remembering) return;
  remembering = true;
  const storage = getMetadataStorage() as unknown as Storage;
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  let byTarget = new Map<unknown, Map<string, unknown[]>>();
  let grouped = new WeakMap<unknown[], unknown>();
  const forget = <A extends unknown[]>(add: (...a: A) => void) => (...a: A) => {
    byTarget = new Map();
    grouped = new WeakMap();
    add(...a);
  };
  storage.addValidationMetadata = forget(storage.addValidationMetadata.bind(storage));
  storage.addConstraintMetadata = forget(storage.addConstraintMetadata.bind(storage));
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${typeof schema === 'string' ? schema : ''}|${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let forTarget = byTarget.get(target);
    if (!forTarget) byTarget.set(target, (forTarget = new Map()));
    let rules = forTarget.get(key);
    if (!rules) forTarget.set(key, (rules = lookUp(target, schema, always, strictGroups, groups)));
    return rules;
  };
  storage.groupByPropertyName = (metadatas) => {
    let g = grouped.get(metadatas);
    if (g === undefined) grouped.set(metadatas, (g = group(metadatas)));
    return g;
  };
}

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
export const globalValidationPipe = () => {
  rememberValidationRules();
  return new UnsetDroppingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationError(flattenValidationErrors(errors)),
  });
};
