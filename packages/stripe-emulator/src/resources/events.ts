import Stripe from 'stripe';
import { notFound } from '../errors';
import type { Params } from '../form';
import { newId } from '../ids';
import { createdFilter, newestFirst, paginate } from '../list';
import { arg, route } from '../router';
import { type Ctx, clone, nowOf } from '../state';

export const API_VERSION: string = Stripe.API_VERSION;

export type EventType = Stripe.Event['type'];
type EventOf<K extends EventType> = Extract<Stripe.Event, { type: K }>;
export type EventObject<K extends EventType> = EventOf<K>['data']['object'];

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `previous_attributes` as Stripe computes it: only the fields that changed, recursing into
 * nested hashes; lists and arrays are reported whole.
 */
export function previousAttributes(before: unknown, after: unknown): Plain | undefined {
  if (!isPlain(before) || !isPlain(after)) return undefined;
  const out: Plain = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[key];
    const a = after[key];
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    if (isPlain(b) && isPlain(a) && b.object !== 'list' && typeof b.id !== 'string') {
      out[key] = previousAttributes(b, a) ?? b;
    } else {
      out[key] = b === undefined ? null : b;
    }
  }
  return Object.keys(out).length > 0 ? clone(out) : undefined;
}

export function emit<K extends EventType>(ctx: Ctx, type: K, object: EventObject<K>, previous?: Plain): EventOf<K> {
  const { em } = ctx;
  const base: Omit<Stripe.EventBase, 'data' | 'type'> = {
    id: newId('evt'),
    object: 'event',
    api_version: API_VERSION,
    created: nowOf(ctx),
    livemode: false,
    pending_webhooks: em.webhooks.configured ? 1 : 0,
    request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
  };
  const data = { object: clone(object), ...(previous ? { previous_attributes: previous } : {}) };
  // TS cannot relate a generic `K` to one member of the Event union; `type`/`object` are
  // already tied together by the signature, which is what callers are checked against.
  const event = { ...base, type, data } as unknown as EventOf<K>;
  em.store.events.set(event.id, event);
  em.webhooks.dispatch(event);
  return event;
}

/**
 * Mutates `target` through `change` and emits `type` with `previous_attributes`; nothing is
 * emitted when the change turned out to be a no-op.
 */
export function emitChange<K extends EventType>(
  ctx: Ctx,
  type: K,
  target: EventObject<K>,
  change: (t: EventObject<K>) => void,
): Plain | undefined {
  const before = clone(target);
  change(target);
  const previous = previousAttributes(before, target);
  if (previous) emit(ctx, type, target, previous);
  return previous;
}

function listEvents(ctx: Ctx, p: Params): Stripe.ApiList<Stripe.Event> {
  const type = p.str('type');
  const types = p.strList('types');
  const created = createdFilter(p);
  const matchesType = (t: string): boolean => {
    const wanted = type ? [type] : types;
    if (wanted.length === 0) return true;
    return wanted.some((w) => (w.endsWith('.*') ? t.startsWith(w.slice(0, -1)) : t === w));
  };
  const items = newestFirst(ctx.em.store.events.values()).filter((e) => matchesType(e.type) && created(e.created));
  return paginate(items, p, '/v1/events');
}

export const eventRoutes = [
  route(
    'GET',
    '/v1/events',
    ['type', 'types', 'created', 'limit', 'starting_after', 'ending_before', 'delivery_success'],
    (ctx, p) => listEvents(ctx, p),
  ),
  route('GET', '/v1/events/:id', [], (ctx, _p, args) => {
    const event = ctx.em.store.events.get(arg(args));
    if (!event) throw notFound('event', arg(args));
    return event;
  }),
];
