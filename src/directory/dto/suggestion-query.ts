import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiQuery, DECORATORS, type ApiQueryOptions } from '@nestjs/swagger';
import type { Request } from 'express';
import { LANGUAGES } from '../../authorization/actor.js';
import { validationError, type FieldError } from '../../common/domain-error.js';
import { CATEGORY_CODES, POPULATION_CODES, SPOKEN_LANGUAGE_CODES } from '../taxonomy.data.js';
import { SuggestionQuery } from './query.dto.js';

/*
 * GET /directory/suggestions' query, checked by hand with SuggestionQuery's rules and messages: the
 * global ValidationPipe's class-transformer and class-validator cost every suggestion request
 * ≈ 6 % of its CPU (issue #18). SuggestionQuery keeps its decorators for the OpenAPI document and as
 * the oracle of suggestion-query.spec.ts, which holds the two to the same answers.
 */

const isIn = (allowed: readonly string[], field: string) => {
  const set = new Set(allowed);
  const message = `${field} must be one of the following values: ${allowed.join(', ')}`;
  return (v: unknown, out: FieldError[]) => {
    if (!set.has(v as string)) out.push({ field, message });
  };
};

/** `@Type(() => Number)`: a string becomes Number(it); a repeated parameter a list of numbers (never valid). */
const asNumber = (v: unknown): unknown => (Array.isArray(v) ? v.map(Number) : Number(v));

/** @IsNumber({ allowNaN: false }) @Min(min) @Max(max), their messages in class-validator's order. */
const number = (field: string, min: number, max: number, integer = false) => (raw: unknown, out: FieldError[]) => {
  const v = asNumber(raw);
  const n = typeof v === 'number' ? v : NaN;
  if (!(n <= max)) out.push({ field, message: `${field} must not be greater than ${max}` });
  if (!(n >= min)) out.push({ field, message: `${field} must not be less than ${min}` });
  if (integer ? !Number.isInteger(n) : !Number.isFinite(n)) {
    out.push({ field, message: integer ? `${field} must be an integer number` : `${field} must be a number conforming to the specified constraints` });
  }
  return v;
};

const needIn = new Set<string>(CATEGORY_CODES);
const language = isIn(SPOKEN_LANGUAGE_CODES, 'language');
const population = isIn(POPULATION_CODES, 'population');
const lang = isIn(LANGUAGES, 'lang');
const lat = number('lat', -90, 90);
const lon = number('lon', -180, 180);
const limit = number('limit', 1, 50, true);
const KNOWN = new Set(['need', 'province', 'language', 'population', 'lat', 'lon', 'limit', 'lang']);

/** The query as SuggestionQuery under the global ValidationPipe, or its 400 (VALIDATION_FAILED, each field named). */
export function parseSuggestionQuery(query: Record<string, unknown>): SuggestionQuery {
  const out: FieldError[] = [];
  // Unknown fields first, in the order sent (forbidNonWhitelisted); the pipe drops `__proto__` and `constructor`.
  for (const k of Object.keys(query)) if (!KNOWN.has(k) && k !== '__proto__' && k !== 'constructor') out.push({ field: k, message: `unknown field "${k}"` });
  const q = query as Record<keyof SuggestionQuery, unknown>;
  const parsed: Record<string, unknown> = {};
  if (!needIn.has(q.need as string)) out.push({ field: 'need', message: 'need must be a known category code' });
  parsed.need = q.need;
  // Optional fields: absent (undefined) is not checked, and not kept.
  if (q.province !== undefined) {
    if (typeof q.province !== 'string' || q.province.length > 40) out.push({ field: 'province', message: 'province must be shorter than or equal to 40 characters' });
    if (typeof q.province !== 'string') out.push({ field: 'province', message: 'province must be a string' });
    parsed.province = q.province;
  }
  if (q.language !== undefined) language(q.language, out), (parsed.language = q.language);
  if (q.population !== undefined) population(q.population, out), (parsed.population = q.population);
  if (q.lat !== undefined) parsed.lat = lat(q.lat, out);
  if (q.lon !== undefined) parsed.lon = lon(q.lon, out);
  if (q.limit !== undefined) parsed.limit = limit(q.limit, out);
  if (q.lang !== undefined) lang(q.lang, out), (parsed.lang = q.lang);
  if (out.length) throw validationError(out);
  return parsed as unknown as SuggestionQuery;
}

/** The suggestions' query, validated by `parseSuggestionQuery` (a custom parameter: the global pipe leaves it alone). */
export const SuggestionParams = createParamDecorator((_: unknown, ctx: ExecutionContext): SuggestionQuery =>
  parseSuggestionQuery(ctx.switchToHttp().getRequest<Request>().query as Record<string, unknown>),
);

/**
 * SuggestionQuery's properties as the operation's query parameters, as `@Query() q: SuggestionQuery`
 * documents them (a custom parameter is not documented by Swagger; `@ApiQuery({ type })` drops the enums).
 */
export const ApiSuggestionQuery = () => {
  const target = SuggestionQuery.prototype;
  const names = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, target) as string[]).map((k) => k.slice(1));
  return applyDecorators(...names.map((name) => ApiQuery({ name, ...(Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, target, name) as ApiQueryOptions) } as ApiQueryOptions)));
};
