import { MAX_EVENT_ID_LENGTH, MAX_USAGE_EVENTS_PER_CALL, MAX_USAGE_QUANTITY, textProblem } from '@contox/core';
import { z } from 'zod';
import { integer, text } from '../limits';
import type { BillingMeta } from '../contract-meta';

export const recordUsageEventsMeta: BillingMeta = {
  openapi: {
    method: 'POST',
    path: '/api/billing/usage/events',
    tags: ['usage'],
    summary:
      'Record up to 1,000 usage events; each id counts once forever. Per event: accepted, duplicate, or refused (limit reached, with used and limit), and the `refused` count. When every event is refused, 402 plan_limit_reached with the same `results` and `refused` beside `error`.',
    protect: true,
  },
  // Every event refused: 402 with the per-event `results` and the `refused` count beside `error` and `code`.
  errors: ['plan_limit_reached'],
  examples: {
    input: {
      events: [
        { id: 'evt_01HQ7', metric: 'sessions', quantity: 1 },
        { id: 'evt_01HQ8', metric: 'events', quantity: 25 },
      ],
    },
    output: {
      results: [
        { id: 'evt_01HQ7', status: 'accepted' },
        { id: 'evt_01HQ8', status: 'accepted' },
      ],
      refused: 0,
    },
  },
};

const METRICS = ['sessions', 'events', 'enrichments', 'storage'] as const;

export const recordUsageEventsInput = z.object({
  events: z
    .array(
      z
        .object({
          id: text(MAX_EVENT_ID_LENGTH, 1),
          metric: z.enum(METRICS),
          quantity: integer(-MAX_USAGE_QUANTITY, MAX_USAGE_QUANTITY),
        })
        // Storage is a level moved by signed deltas; the other metrics count things, so a count of zero or
        // less is malformed input (a 400 for the whole call, like a fractional one), not a limit refusal.
        .refine((e) => e.metric === 'storage' || e.quantity > 0, {
          path: ['quantity'],
          message: 'must be a positive integer for sessions, events and enrichments',
        }),
    )
    .min(1)
    .max(MAX_USAGE_EVENTS_PER_CALL),
});

type RecordUsageEventsInput = z.output<typeof recordUsageEventsInput>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** Its number of keys, counted without making an array of them (this runs for every event). */
function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

const isMetric = (v: unknown) => typeof v === 'string' && (METRICS as readonly string[]).includes(v);

/**
 * Whether `input` passes recordUsageEventsInput exactly as it is: the same rules in one loop, without zod's
 * per-event checks, issues and output copies (zod took ~1.6 ms of CPU per call of 1,000 events). It only
 * says yes to plain objects holding exactly the schema's keys, whose output from zod would equal them;
 * anything else, valid or not, goes to zod, which then answers as always.
 */
function passesAsIs(input: unknown): input is RecordUsageEventsInput {
  if (!isPlainObject(input) || keyCount(input) !== 1) return false;
  const events = input.events;
  if (!Array.isArray(events) || events.length < 1 || events.length > MAX_USAGE_EVENTS_PER_CALL) return false;
  for (const e of events) {
    if (!isPlainObject(e) || keyCount(e) !== 3) return false;
    const { id, metric, quantity } = e;
    if (typeof id !== 'string' || id.length < 1 || id.length > MAX_EVENT_ID_LENGTH || textProblem(id)) return false;
    if (!isMetric(metric) || typeof quantity !== 'number' || !Number.isSafeInteger(quantity)) return false;
    if (quantity < -MAX_USAGE_QUANTITY || quantity > MAX_USAGE_QUANTITY) return false;
    if (metric !== 'storage' && quantity <= 0) return false;
  }
  return true;
}

/**
 * A copy of `schema` for the procedure: the OpenAPI document and tRPC's types read it as `schema`, while a
 * call is checked by `parse` (tRPC calls `parseAsync`).
 */
function parsedBy<T extends z.ZodType>(schema: T, parse: (value: unknown) => Promise<z.output<T>>): T {
  return Object.assign(schema.clone(), { parseAsync: parse });
}

/** The procedure's input: recordUsageEventsInput, checked in one loop when the body is plainly valid. */
export const recordUsageEventsParser = parsedBy(recordUsageEventsInput, (value) =>
  passesAsIs(value) ? Promise.resolve(value) : recordUsageEventsInput.parseAsync(value),
);

const usageEventResult = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'refused']),
  used: z.number().int().optional(),
  limit: z.number().int().nullable().optional(),
  error: z.string().optional(),
});

// One shape for the three statuses (not a union): the document has always described it so. The compiler checks
// that the service's results fit it. A call whose every event is refused answers 402 with the same `results`.
export const recordUsageEventsOutput = z.object({
  results: z.array(usageEventResult),
  /** How many events were refused; 0 when all were accepted or duplicates. */
  refused: z.number().int(),
});

/**
 * The procedure's output: recordUsageEventsOutput, not checked again on each call (1,000 results a call). The
 * service builds exactly this shape, which the compiler checks; every test's answers are judged against the
 * document (test/contract).
 */
export const recordUsageEventsAnswer = parsedBy(recordUsageEventsOutput, (value) =>
  Promise.resolve(value as z.output<typeof recordUsageEventsOutput>),
);
