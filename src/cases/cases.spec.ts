import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { subject } from '@casl/ability';
import { defineAbilityFor } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { FieldCipher } from '../common/crypto/field-cipher.js';
import { isCalendarDate } from '../common/validators.js';
import { ageBandAt, timeElapsedBetween } from './cases.constants.js';
import { caseCode } from './cases.service.js';
import { evaluateConsent } from './consent.service.js';
import { IdentityCodec, normaliseName, normalisePhone } from './identity.codec.js';

const unit = '00000000-0000-4000-8000-00000000000a';
const actor = (roles: Actor['roles'], userId = 'u1', organisationType: Actor['organisationType'] = 'counselling_unit'): Actor => ({
  userId,
  organisationId: unit,
  organisationType,
  regionId: null,
  provinceId: null,
  roles,
  language: 'fr',
});

describe('case rules', () => {
  it('formats case codes with five digits', () => {
    expect(caseCode('OUJ', 2026, 42)).toBe('OUJ-2026-00042');
  });

  it('derives the age band at a date, birthdays included', () => {
    const at = new Date('2026-06-15T12:00:00Z');
    expect(ageBandAt('2008-06-15', at)).toBe('18-24');
    expect(ageBandAt('2008-06-16', at)).toBe('0-17');
    expect(ageBandAt('1966-06-15', at)).toBe('60+');
    expect(ageBandAt('2001-06-16', at)).toBe('18-24');
  });

  it('derives GBVIMS time elapsed', () => {
    const at = new Date('2026-03-10T09:00:00Z');
    expect(timeElapsedBetween('2026-03-07', at)).toBe('0_3_days');
    expect(timeElapsedBetween('2026-03-05', at)).toBe('4_5_days');
    expect(timeElapsedBetween('2026-02-25', at)).toBe('6_14_days');
    expect(timeElapsedBetween('2026-02-10', at)).toBe('2_weeks_1_month');
    expect(timeElapsedBetween('2025-12-01', at)).toBe('over_1_month');
  });

  it('accepts only real calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2023-04-31')).toBe(false);
    expect(isCalendarDate('2999-01-01', { notFuture: true })).toBe(false);
    expect(isCalendarDate('1899-12-31', { notBefore: '1900-01-01' })).toBe(false);
  });

  it('consent covers only within its categories, organisations and fields, and never once withdrawn', () => {
    const c = { categories: ['mhpss' as const], organisationIds: ['o1'], fields: ['sex' as const, 'age_band' as const], withdrawnAt: null };
    expect(evaluateConsent(c, { category: 'mhpss', organisationId: 'o1', fields: ['sex'] }).covered).toBe(true);
    expect(evaluateConsent(c, { category: 'legal_aid', organisationId: 'o1', fields: ['sex'] })).toMatchObject({ covered: false, category: true });
    expect(evaluateConsent(c, { category: 'mhpss', organisationId: 'o2', fields: ['sex'] })).toMatchObject({ covered: false, organisation: true });
    expect(evaluateConsent(c, { category: 'mhpss', organisationId: 'o1', fields: ['phone'] })).toMatchObject({ covered: false, fields: ['phone'] });
    expect(evaluateConsent({ ...c, organisationIds: [] }, { category: 'mhpss', organisationId: 'any', fields: [] }).covered).toBe(true);
    expect(evaluateConsent({ ...c, withdrawnAt: new Date() }, { category: 'mhpss', organisationId: 'o1', fields: ['sex'] }).covered).toBe(false);
  });

  it('incidents: the assigned counsellor and the supervisor; case content: never outside a unit', () => {
    // subject() tags the object it is given, so each check gets a fresh one.
    const facts = () => ({ unitId: unit, assignedCounsellorId: 'u1' });
    expect(defineAbilityFor(actor(['counsellor'])).can('read', subject('Incident', facts()) as never)).toBe(true);
    expect(defineAbilityFor(actor(['counsellor'], 'u2')).can('read', subject('Incident', facts()) as never)).toBe(false);
    expect(defineAbilityFor(actor(['counsellor'], 'u2')).can('read', subject('Case', facts()) as never)).toBe(true);
    expect(defineAbilityFor(actor(['supervisor'], 'u3')).can('read', subject('Incident', facts()) as never)).toBe(true);
    // Session notes: the same need-to-know rule as incidents.
    expect(defineAbilityFor(actor(['counsellor'])).can('read', subject('SessionNote', facts()) as never)).toBe(true);
    expect(defineAbilityFor(actor(['counsellor'], 'u2')).can('read', subject('SessionNote', facts()) as never)).toBe(false);
    expect(defineAbilityFor(actor(['supervisor'], 'u3')).can('read', subject('SessionNote', facts()) as never)).toBe(true);
    expect(defineAbilityFor({ ...actor(['supervisor'], 'u3'), organisationId: 'other-unit' }).can('read', subject('SessionNote', facts()) as never)).toBe(false);
    for (const [role, type] of [['provider', 'service_provider'], ['coordinator', 'coordination_body'], ['analyst', 'programme'], ['admin', 'programme']] as const) {
      expect(defineAbilityFor(actor([role], 'u1', type)).can('read', 'Case')).toBe(false);
      expect(defineAbilityFor(actor([role], 'u1', type)).can('read', 'SessionNote')).toBe(false);
    }
  });
});

describe('identity normalisation and blind indexes', () => {
  const codec = new IdentityCodec(new FieldCipher({ k: randomBytes(32).toString('base64') }, 'k', randomBytes(32).toString('base64')));

  it('matches Moroccan numbers however written', () => {
    expect(normalisePhone('06 12-34 56 78')).toBe('+212612345678');
    expect(normalisePhone('00212 612 345 678')).toBe('+212612345678');
    expect(normalisePhone('+212 6 12 34 56 78')).toBe('+212612345678');
  });

  it('matches names regardless of case, accents and order', () => {
    expect(normaliseName('Aïcha', 'Ben Ali')).toBe(normaliseName('ben ali', 'AICHA'));
  });

  it('never stores a value in clear, and decodes what it encoded (any text)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), fc.option(fc.string({ minLength: 3, maxLength: 20 }), { nil: null }), (name, phone) => {
        const row = codec.encode('p', { givenName: name, familyName: null, phone, address: null, documentType: null, documentNumber: null }, '1990-01-01');
        expect(codec.decode(row)).toMatchObject({ givenName: name, phone });
        if (name.length > 3) expect(row.givenNameEnc).not.toContain(name);
      }),
      { numRuns: 100 },
    );
  });
});
