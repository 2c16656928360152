import { z } from 'zod';
import { pageOf } from '../common/api-views.js';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from './audit-event.entity.js';

/** One row of the audit trail: who did what to which record, never the record's content. */
export const AuditEventView = z.object({
  id: z.uuid(),
  actorId: z.uuid().nullable(),
  organisationId: z.uuid().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  entity: z.enum(AUDIT_ENTITIES),
  entityId: z.uuid().nullable(),
  route: z.string().nullable(),
  ip: z.string().nullable(),
  correlationId: z.string().nullable(),
  createdAt: z.date(),
});
export type AuditEventView = z.infer<typeof AuditEventView>;

export const AuditPageView = pageOf(AuditEventView);
export type AuditPageView = z.infer<typeof AuditPageView>;
