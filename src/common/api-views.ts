import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * A feature's views are zod schemas (`*.views.ts`): the service returns `z.infer` of them, and the
 * same schema is the response declared in the OpenAPI document. One definition, so the contract and
 * the type cannot drift. Instants are Dates in TypeScript and RFC 3339 strings on the wire.
 */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return nullableEnums(z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'output',
    // Dates are the one unrepresentable type we use; the override below writes them as date-time strings.
    unrepresentable: 'any',
    override: (ctx) => {
      const def = (ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def;
      if (def.type === 'date') {
        ctx.jsonSchema.type = 'string';
        ctx.jsonSchema.format = 'date-time';
      }
    },
  })) as Record<string, unknown>;
}

/** OpenAPI 3.0: `nullable` does not widen an `enum`, so a nullable enum must list null itself. */
function nullableEnums<T>(v: T): T {
  if (Array.isArray(v)) v.forEach(nullableEnums);
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.nullable === true && Array.isArray(o.enum) && !o.enum.includes(null)) o.enum.push(null);
    Object.values(o).forEach(nullableEnums);
  }
  return v;
}

/** The success response of an operation, typed by a view schema. */
export function ApiView(schema: z.ZodType, opts: { status?: number; contentType?: string; description?: string; alsoAsText?: string[] } = {}) {
  const status = opts.status ?? 200;
  // The same answer in a text format when asked for one (e.g. HSDS `format=ndjson`: one item per line).
  const text = Object.fromEntries((opts.alsoAsText ?? []).map((ct) => [ct, { schema: { type: 'string' } as never }]));
  return applyDecorators(
    ApiResponse({ status, description: opts.description ?? 'Success', content: { [opts.contentType ?? 'application/json']: { schema: jsonSchemaOf(schema) as never }, ...text } }),
  );
}

/** An operation that answers 204 with no body. */
export function ApiNoContent(description = 'Done; no body') {
  return applyDecorators(ApiResponse({ status: 204, description }));
}

/** A file the operation streams (CSV, XLSX, PDF, NDJSON): its body is the file, typed as text or binary. */
export function ApiFile(contentTypes: string[], opts: { status?: number; description?: string } = {}) {
  const content = Object.fromEntries(contentTypes.map((ct) => [ct.split(';')[0]!.trim(), { schema: { type: 'string' } as never }]));
  return applyDecorators(ApiResponse({ status: opts.status ?? 200, description: opts.description ?? 'The file', content }));
}

/** A page of a keyset-paginated list (common/keyset.ts). */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** RFC 9457 problem details as every error of the API answers them (common/problem.filter.ts). */
export const ProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  correlationId: z.string().optional(),
  errors: z.array(z.looseObject({ field: z.string(), message: z.string() })).optional(),
});

/**
 * Every operation may answer a problem: declared once as each operation's `default` response
 * (application/problem+json, the Problem schema in components), so clients type errors too.
 */
export function declareProblems(doc: OpenAPIObject): OpenAPIObject {
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.Problem = jsonSchemaOf(ProblemSchema) as never;
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item) as Array<{ responses?: Record<string, unknown> } | undefined>) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      op.responses ??= {};
      op.responses.default ??= { description: 'A problem (RFC 9457) with a stable `code`', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    }
  }
  return doc;
}
