import { Injectable } from '@nestjs/common';
import { ForbiddenError, subject } from '@casl/ability';
import type { Action, AppAbility } from '../authorization/ability.factory.js';
import { scopeFor } from '../authorization/scope.js';
import { notFound } from '../common/domain-error.js';
import type { Case } from './case.entity.js';
import { CASE_SCOPE_COLUMNS, CasesRepository, type NeedRef } from './cases.repository.js';
import { CaseErrors } from './cases.errors.js';

/** The condition fields of the Case and Incident subjects for one case (see ability.factory.ts). */
export const caseFacts = (c: Pick<Case, 'unitId' | 'assignedCounsellorId'>) => ({ unitId: c.unitId, assignedCounsellorId: c.assignedCounsellorId });

/**
 * Loads a case for an action: read within the caller's scope in SQL (out of scope → 404, like a
 * missing case), then the instance rule for the action itself.
 */
@Injectable()
export class CaseAccess {
  constructor(private readonly cases: CasesRepository) {}

  async load(ability: AppAbility, action: Action, id: string): Promise<Case> {
    const found = await this.cases.findInScope(scopeFor(ability, 'read', 'Case', CASE_SCOPE_COLUMNS), id);
    if (!found) throw notFound('case');
    if (action !== 'read') ForbiddenError.from(ability).throwUnlessCan(action, subject('Case', caseFacts(found)) as never);
    return found;
  }

  /** A case the caller may read, with its needs, in one statement (a referral drafted from it); 404 outside the scope. */
  async loadWithNeeds(ability: AppAbility, id: string): Promise<{ c: Case; needs: NeedRef[] }> {
    const found = await this.cases.findInScopeWithNeeds(scopeFor(ability, 'read', 'Case', CASE_SCOPE_COLUMNS), id);
    if (!found) throw notFound('case');
    return found;
  }

  /** For adding records to a case: it must be open or active (and not anonymised). */
  async loadWritable(ability: AppAbility, id: string): Promise<Case> {
    const c = await this.load(ability, 'update', id);
    if (c.anonymisedAt) throw CaseErrors.anonymised();
    if (c.status === 'closed') throw CaseErrors.closed();
    return c;
  }

  /** Whether the caller may read the narratives of this case's sessions (assigned counsellor, supervisor). */
  canReadNotes(ability: AppAbility, c: Pick<Case, 'unitId' | 'assignedCounsellorId'>): boolean {
    return ability.can('read', subject('SessionNote', caseFacts(c)) as never);
  }

  /**
   * Incidents: the case must be readable, and the incident rule (assigned counsellor, supervisor)
   * must hold for it; otherwise the incidents do not exist for this caller (404).
   */
  async loadForIncidents(ability: AppAbility, action: 'read' | 'create', id: string): Promise<Case> {
    const c = action === 'read' ? await this.load(ability, 'read', id) : await this.loadWritable(ability, id);
    if (!ability.can(action, subject('Incident', caseFacts(c)) as never)) throw notFound('incident');
    return c;
  }
}
