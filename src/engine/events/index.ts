import { z } from 'zod';

/** What the engine tells the bot. Validated on the way in: a queue is an edge like any other. */
export const engineEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('scan.progress'),
    runId: z.number().int(),
    host: z.string(),
    status: z.enum(['ok', 'failed']),
  }),
  z.object({ type: z.literal('scan.finished'), runId: z.number().int() }),
  z.object({ type: z.literal('plan.changed'), planId: z.number().int() }),
  /** `final`: the rollout reached a state it leaves only by a command (halted, done, aborted...). */
  z.object({ type: z.literal('rollout.changed'), rolloutId: z.number().int(), final: z.boolean() }),
  z.object({
    type: z.literal('alert'),
    severity: z.enum(['warning', 'critical']),
    subject: z.string(),
    message: z.string(),
  }),
]);

export type EngineEvent = z.infer<typeof engineEventSchema>;
