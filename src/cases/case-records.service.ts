import { wallDateOf } from '../vocabulary/index.js';
import { Injectable } from '@nestjs/common';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { AuditService, readsOf } from '../audit/audit.service.js';
import { notFound } from '../common/domain-error.js';
import { TransactionHost } from '../database/transaction.js';
import { UsersService } from '../users/users.service.js';
import { CaseAccess } from './case-access.js';
import { CaseRecordsRepository } from './case-records.repository.js';
import { CaseSession } from './case-session.entity.js';
import { needView, sessionView, taskView } from './case.views.js';
import { CaseErrors } from './cases.errors.js';
import { CasesService } from './cases.service.js';
import { DeliveriesService } from './deliveries.service.js';
import { FollowUpTask } from './follow-up-task.entity.js';
import { IdentityCodec } from './identity.codec.js';
import { Need } from './need.entity.js';
import type { CreateNeedDto, CreateSessionDto, CreateTaskDto, TasksDueQuery, UpdateNeedDto, UpdateTaskDto } from './dto/records.dto.js';
import { scopeFor } from '../authorization/scope.js';
import { CASE_SCOPE_COLUMNS } from './cases.repository.js';
import type { NeedView, RecordedSessionView, SessionView, TasksDueView, TaskView } from './case.views.js';


/** Needs, sessions/notes and follow-up tasks of a case. */
@Injectable()
export class CaseRecordsService {
  constructor(
    private readonly records: CaseRecordsRepository,
    private readonly access: CaseAccess,
    private readonly cases: CasesService,
    private readonly deliveries: DeliveriesService,
    private readonly codec: IdentityCodec,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly tx: TransactionHost,
  ) {}

  async listNeeds(ability: AppAbility, caseId: string): Promise<NeedView[]> {
    const c = await this.access.load(ability, 'read', caseId);
    return (await this.records.listForCase(Need, c.id)).map(needView);
  }

  async addNeed(actor: Actor, ability: AppAbility, caseId: string, dto: CreateNeedDto): Promise<NeedView> {
    return this.tx.run(async () => {
      const c = await this.access.loadWritable(ability, caseId);
      if (await this.records.hasOpenNeed(c.id, dto.category)) throw CaseErrors.needAlreadyOpen();
      const n = await this.records.insert(Need, { caseId: c.id, category: dto.category, recordedById: actor.userId });
      await this.audit.record(actor, { action: 'create', entity: 'need', entityId: n.id, organisationId: c.unitId });
      return needView(n);
    });
  }

  /** Closes (met, unmet, withdrawn) or reopens a need. Exported for the referrals module too. */
  async setNeedStatus(actor: Actor, ability: AppAbility, caseId: string, needId: string, dto: UpdateNeedDto): Promise<NeedView> {
    return this.tx.run(async () => {
      const c = await this.access.load(ability, 'update', caseId);
      if (c.anonymisedAt) throw CaseErrors.anonymised();
      const n = await this.records.findForCase(Need, c.id, needId);
      if (!n) throw notFound('need');
      if (dto.status === 'open' && n.status !== 'open' && (await this.records.hasOpenNeed(c.id, n.category))) throw CaseErrors.needAlreadyOpen();
      const saved = await this.records.save(Need, { ...n, status: dto.status, closedAt: dto.status === 'open' ? null : new Date() });
      await this.audit.record(actor, { action: 'update', entity: 'need', entityId: n.id, organisationId: c.unitId });
      return needView(saved);
    });
  }

  /**
   * Sessions of a case. Their notes, decrypted, only for the assigned counsellor and the unit's
   * supervisor (one audit row per note read); anyone else of the unit sees that a session took
   * place (date, kind, duration) and that its note is withheld (one `list` audit row).
   */
  async listSessions(actor: Actor, ability: AppAbility, caseId: string): Promise<SessionView[]> {
    return this.tx.run(async () => {
      const c = await this.access.load(ability, 'read', caseId);
      const sessions = await this.records.listForCase(CaseSession, c.id);
      if (!this.access.canReadNotes(ability, c)) {
        await this.audit.record(actor, { action: 'list', entity: 'note', entityId: c.id, organisationId: c.unitId });
        return sessions.map((s) => sessionView(s, null, true));
      }
      await this.audit.record(actor, readsOf('note', sessions, c.unitId));
      return sessions.map((s) => sessionView(s, this.codec.decrypt(s.noteEnc)));
    });
  }

  async addSession(actor: Actor, ability: AppAbility, caseId: string, dto: CreateSessionDto): Promise<RecordedSessionView> {
    return this.tx.run(async () => {
      const c = await this.access.loadWritable(ability, caseId);
      if (dto.recordDelivery && dto.kind !== 'psychosocial') throw CaseErrors.field('recordDelivery', 'only psychosocial sessions count as a delivery');
      const s = await this.records.insert(CaseSession, {
        caseId: c.id,
        sessionDate: dto.sessionDate,
        kind: dto.kind,
        durationMinutes: dto.durationMinutes ?? null,
        authorId: actor.userId,
        noteEnc: this.codec.encrypt(dto.note),
      });
      await this.audit.record(actor, { action: 'create', entity: 'note', entityId: s.id, organisationId: c.unitId });
      await this.cases.activateIfOpen(actor, c);
      const delivery = dto.recordDelivery
        ? await this.deliveries.record(actor, { caseId: c.id, category: 'mhpss', deliveredOn: dto.sessionDate, outcome: 'service_provided', providerOrganisationId: c.unitId })
        : null;
      return { ...sessionView(s, dto.note), delivery };
    });
  }

  /** Tasks with their descriptions, decrypted; one audit row per task read. */
  async listTasks(actor: Actor, ability: AppAbility, caseId: string): Promise<TaskView[]> {
    const c = await this.access.load(ability, 'read', caseId);
    const tasks = await this.records.listForCase(FollowUpTask, c.id);
    await this.audit.record(actor, readsOf('task', tasks, c.unitId));
    return tasks.map((t) => taskView(t, this.codec.decrypt(t.descriptionEnc)));
  }

  /**
   * The caller's own open follow-ups: overdue, today and the next `days` days (Casablanca dates),
   * earliest first, each with its case code; only on cases the caller may read.
   */
  async tasksDue(actor: Actor, ability: AppAbility, q: TasksDueQuery): Promise<TasksDueView> {
    const today = wallDateOf(new Date());
    const until = wallDateOf(new Date(Date.now() + (q.days ?? 7) * 86_400_000));
    const tasks = await this.records.tasksDue(scopeFor(ability, 'read', 'Case', CASE_SCOPE_COLUMNS), actor.userId, until, q.limit ?? 50);
    await this.audit.record(
      actor,
      tasks.map((t) => ({ action: 'read' as const, entity: 'task' as const, entityId: t.id, organisationId: t.case!.unitId })),
    );
    return {
      today,
      until,
      items: tasks.map((t) => ({ ...taskView(t, this.codec.decrypt(t.descriptionEnc)), caseCode: t.case!.code, overdue: t.dueDate < today })),
    };
  }

  async addTask(actor: Actor, ability: AppAbility, caseId: string, dto: CreateTaskDto): Promise<TaskView> {
    return this.tx.run(async () => {
      const c = await this.access.loadWritable(ability, caseId);
      const assignedToId = dto.assignedToId ?? c.assignedCounsellorId;
      const u = await this.users.find(assignedToId);
      if (!u || u.organisationId !== c.unitId || u.status !== 'active') throw CaseErrors.field('assignedToId', 'assignedToId must be an active member of the unit');
      const t = await this.records.insert(FollowUpTask, {
        caseId: c.id,
        dueDate: dto.dueDate,
        assignedToId,
        descriptionEnc: this.codec.encrypt(dto.description),
        createdById: actor.userId,
      });
      await this.audit.record(actor, { action: 'create', entity: 'task', entityId: t.id, organisationId: c.unitId });
      return taskView(t, dto.description);
    });
  }

  async updateTask(actor: Actor, ability: AppAbility, caseId: string, taskId: string, dto: UpdateTaskDto): Promise<TaskView> {
    return this.tx.run(async () => {
      const c = await this.access.load(ability, 'update', caseId);
      if (c.anonymisedAt) throw CaseErrors.anonymised();
      const t = await this.records.findForCase(FollowUpTask, c.id, taskId);
      if (!t) throw notFound('task');
      const status = dto.status ?? t.status;
      const saved = await this.records.save(FollowUpTask, {
        ...t,
        status,
        dueDate: dto.dueDate ?? t.dueDate,
        completedAt: status === 'done' ? (t.completedAt ?? new Date()) : null,
      });
      await this.audit.record(actor, { action: 'update', entity: 'task', entityId: t.id, organisationId: c.unitId });
      return taskView(saved, this.codec.decrypt(saved.descriptionEnc));
    });
  }
}
