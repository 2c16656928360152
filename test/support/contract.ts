import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The served OpenAPI document as a checker of real answers: every response the suite's Supertest
 * calls receive from an operation of the document is validated against what that operation
 * declares (its status, content type and schema; a problem against the Problem schema). A test app
 * installs it on every request (test-app.ts), so an answer that drifts from the contract fails the
 * test that saw it. `covered` says which operations answered a success, for the contract test.
 */
type Json = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface Operation {
  key: string;
  path: string;
  method: string;
  op: Json;
}

export function operationsOf(doc: Json): Operation[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ key: `${method.toUpperCase()} ${path}`, path, method, op: item[method] })),
  );
}

export interface ContractResponse {
  status: number;
  body: unknown;
  text?: string;
  headers: Record<string, string>;
}

export interface Contract {
  /** Throws when the answer is not what the document declares; returns the operation's key, or null when the URL is no operation of the document (a page). */
  check(method: string, url: string, res: ContractResponse): string | null;
  /** `METHOD /path` of the operations that answered a declared success, with the status. */
  covered: Map<string, Set<number>>;
  operations: Operation[];
}

const JSON_TYPE = /^application\/([a-z.-]+\+)?json$/;

export function contractOf(doc: Json): Contract {
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addSchema({ components: doc.components }, 'doc');
  const compiled = new Map<string, ValidateFunction>();
  const operations = operationsOf(doc);
  const templates = operations.map((o) => ({ ...o, re: new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  const covered = new Map<string, Set<number>>();
  const fail = (what: string, detail: unknown) => {
    throw new Error(`OpenAPI contract: ${what}\n${JSON.stringify(detail, null, 2).slice(0, 4000)}`);
  };

  const check = (method: string, url: string, res: ContractResponse): string | null => {
    const m = method.toLowerCase();
    const path = new URL(url, 'http://x').pathname;
    // A fixed path wins over a template (`/referrals/counts` over `/referrals/{id}`).
    const o = templates.find((x) => x.method === m && !x.path.includes('{') && x.re.test(path)) ?? templates.find((x) => x.method === m && x.re.test(path));
    if (!o) return null;
    const declared = res.status < 400 ? o.op.responses?.[String(res.status)] : o.op.responses?.default;
    if (!declared) fail(`${o.key} answered ${res.status}, which it does not declare`, { url, declares: Object.keys(o.op.responses ?? {}), body: res.body });
    const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (res.status === 204 || res.status === 304) {
      if (declared.content && Object.keys(declared.content).length > 0 && res.status === 204) fail(`${o.key} declares a body for 204`, { url });
    } else {
      const schema = declared.content?.[type]?.schema;
      if (!schema) fail(`${o.key} answered ${res.status} as ${type || 'no content type'}, which it does not declare`, { url, declares: Object.keys(declared.content ?? {}) });
      const key = `${o.key} ${res.status} ${type}`;
      if (!compiled.has(key)) compiled.set(key, ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'))));
      const validate = compiled.get(key)!;
      // JSON bodies are validated whole; a text body (CSV, NDJSON) against a string schema.
      const body = JSON_TYPE.test(type) ? res.body : (res.text ?? (Buffer.isBuffer(res.body) ? '' : res.body));
      if (!validate(body)) fail(`${o.key} ${res.status} ${type}: the body does not match the declared schema`, { url, errors: validate.errors, body: res.body });
    }
    if (res.status < 300) {
      const statuses = covered.get(o.key) ?? new Set<number>();
      statuses.add(res.status);
      covered.set(o.key, statuses);
    }
    return o.key;
  };
  return { check, covered, operations };
}
