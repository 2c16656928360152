import { z } from 'zod';
import { pageOf } from '../common/api-views.js';
import { OUTBOX_STATUSES } from './outbox-message.entity.js';

/** A message of the outbox as admins see it: never its body. */
export const OutboxMessageView = z.object({
  id: z.uuid(),
  recipient: z.string(),
  subject: z.string(),
  kind: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.date(),
  lastError: z.string().nullable(),
  sentAt: z.date().nullable(),
  createdAt: z.date(),
});
export type OutboxMessageView = z.infer<typeof OutboxMessageView>;

export const OutboxPageView = pageOf(OutboxMessageView);
export type OutboxPageView = z.infer<typeof OutboxPageView>;

/** How many failed messages are due again. */
export const RetriedCountView = z.object({ retried: z.number().int() });
export const RetriedView = z.object({ retried: z.literal(true) });
