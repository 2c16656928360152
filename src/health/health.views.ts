import { z } from 'zod';

/** What /health answers (@nestjs/terminus): each indicator up or down, with what it measured. */
const Indicator = z.looseObject({ status: z.enum(['up', 'down']) });
export const HealthView = z.object({
  status: z.enum(['ok', 'error', 'shutting_down']),
  info: z.record(z.string(), Indicator).optional(),
  error: z.record(z.string(), Indicator).optional(),
  details: z.record(z.string(), Indicator),
});
export type HealthView = z.infer<typeof HealthView>;
