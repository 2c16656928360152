import 'reflect-metadata';
import fc from 'fast-check';
import { globalValidationPipe } from '../../common/validation.js';
import { DomainError } from '../../common/domain-error.js';
import { SuggestionQuery } from './query.dto.js';
import { parseSuggestionQuery } from './suggestion-query.js';

/** A parsed query string (express's simple parser): each value a string, or a list when repeated. */
const querystring = () => {
  const text = fc.oneof(
    fc.constantFrom('mhpss', 'legal_aid', 'shelter', 'astrology', 'MA-OUJ', 'ary', 'fr', 'ar', 'en', 'women', 'migrants', 'x'.repeat(40), 'x'.repeat(41)),
    fc.constantFrom('', ' ', '0', '1', '50', '51', '-90', '-90.5', '90', '90.0001', '180', '-181', '1.5', '1e1', '0x10', 'NaN', 'Infinity', '-Infinity', '12abc', '34.92'),
    fc.double().map(String),
    fc.integer({ min: -200, max: 200 }).map(String),
    fc.string({ maxLength: 6 }),
  );
  const value = fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: fc.array(text, { minLength: 2, maxLength: 3 }) });
  const key = fc.constantFrom('need', 'province', 'language', 'population', 'lat', 'lon', 'limit', 'lang', 'radius_km', 'page', 'x');
  return fc.dictionary(key, value, { maxKeys: 6 }).map((o) => Object.assign(Object.create(null) as Record<string, unknown>, o));
};

/** What the global pipe answers for a query as SuggestionQuery: the value (as JSON) or the 400's fields. */
async function oracle(query: Record<string, unknown>): Promise<unknown> {
  try {
    const out = await globalValidationPipe().transform({ ...query }, { type: 'query', metatype: SuggestionQuery, data: undefined });
    return { ok: { ...(out as object) } };
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { status: e.status, code: e.code, errors: e.errors };
  }
}

function byHand(query: Record<string, unknown>): unknown {
  try {
    return { ok: { ...parseSuggestionQuery({ ...query }) } };
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { status: e.status, code: e.code, errors: e.errors };
  }
}

describe('the suggestions query checked by hand', () => {
  it.each([
    ['the bench’s query', { need: 'mhpss', province: 'MA-DRI' }],
    ['everything', { need: 'legal_aid', province: 'MA-BER', language: 'ary', population: 'women', lat: '34.92', lon: '-2.32', limit: '12', lang: 'ar' }],
    ['no need, bad latitude', { need: 'astrology', lat: '95' }],
    ['nothing', {}],
    ['numbers that are not', { need: 'mhpss', lat: 'north', lon: 'Infinity', limit: '1.5' }],
    ['empty numbers (0)', { need: 'mhpss', lat: '', lon: ' ', limit: '' }],
    ['repeated parameters', { need: ['mhpss', 'mhpss'], lat: ['1', '2'], limit: ['3'], province: ['a', 'b'], lang: ['fr'] }],
    ['unknown fields', { zeta: '1', need: 'mhpss', alpha: '', constructor: 'x' }],
    ['a long province', { need: 'shelter', province: 'x'.repeat(41) }],
    ['a constructor', Object.assign(Object.create(null), { need: 'mhpss', constructor: 'x' })],
    ['a prototype', Object.assign(Object.create(null), { need: 'mhpss', ['__proto__']: 'x', y: '1' })],
  ])('%s: the same answer as the DTO under the global pipe', async (_, query) => {
    expect(byHand(query)).toEqual(await oracle(query));
  });

  it('the same answer as the DTO under the global pipe, for any query string', async () => {
    await fc.assert(
      fc.asyncProperty(querystring(), async (query) => {
        expect(byHand(query)).toEqual(await oracle(query));
      }),
      { numRuns: 400 },
    );
  });
});
