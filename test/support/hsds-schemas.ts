import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The HSDS 3.1 JSON Schemas live outside the repository (`../shared/hsds` next to the clone; CI
 * has a copy there). HSDS_SCHEMA_DIR overrides the place. Absent → the schema tests skip with a message.
 */
export function hsdsSchemaDir(): string | undefined {
  const candidates = [process.env.HSDS_SCHEMA_DIR, resolve(process.cwd(), '../shared/hsds')].filter((x): x is string => !!x);
  return candidates.find((d) => existsSync(resolve(d, 'schema/compiled/service.json')));
}

export interface HsdsValidators {
  service: ValidateFunction;
  servicePage: ValidateFunction;
  organization: ValidateFunction;
  organizationPage: ValidateFunction;
  serviceAtLocationPage: ValidateFunction;
}

export function hsdsValidators(dir: string): HsdsValidators {
  const read = (p: string) => JSON.parse(readFileSync(resolve(dir, 'schema', p), 'utf8'));
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  const page = read('openapi.json').components.schemas.Page;
  const envelope = (items: object) => ({
    type: 'object',
    required: ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'],
    properties: { ...page.properties, contents: { type: 'array', items } },
  });
  return {
    service: ajv.compile(read('compiled/service.json')),
    servicePage: ajv.compile(envelope(read('compiled/service_list.json'))),
    organization: ajv.compile(read('compiled/organization.json')),
    organizationPage: ajv.compile(envelope(read('compiled/organization_list.json'))),
    serviceAtLocationPage: ajv.compile(envelope(read('compiled/service_at_location_list.json'))),
  };
}
