import { ApiError } from './errors';
import type { ApiFaultKind } from './faults';
import { completeCheckout } from './resources/checkout-sessions';
import { advanceClock } from './resources/subscriptions';
import type { Emulator } from './state';

export interface ControlResult {
  status: number;
  json: unknown;
}

const API_FAULTS: readonly ApiFaultKind[] = ['500', 'timeout', '429'];

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;

function parseBody(raw: string): Body {
  if (!raw.trim()) return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Body;
  } catch {
    throw new ControlError(400, 'Body must be a JSON object');
  }
}

function num(body: Body, key: string, min = 0): number {
  const v = body[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw new ControlError(400, `"${key}" must be a number >= ${min}`);
  return v;
}

function str(body: Body, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || !v) throw new ControlError(400, `"${key}" must be a non-empty string`);
  return v;
}

async function waitIdle(em: Emulator, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const idle = em.webhooks.idle().then(() => true as const);
  const result = await Promise.race([idle, timeout]);
  clearTimeout(timer);
  return result;
}

async function dispatch(em: Emulator, method: string, path: string, body: Body): Promise<unknown> {
  const key = `${method} ${path}`;
  if (key === 'GET /_emulator/health') return { ok: true };
  if (key === 'GET /_emulator/clock') return { now: em.clock.now() };
  if (key === 'POST /_emulator/clock/advance') {
    const now = advanceClock(em, num(body, 'seconds'));
    em.scheduleSnapshot();
    return { now };
  }
  if (key === 'POST /_emulator/faults/api') {
    const kind = body.kind;
    if (typeof kind !== 'string' || !(API_FAULTS as readonly string[]).includes(kind)) {
      throw new ControlError(400, `"kind" must be one of ${API_FAULTS.join(', ')}`);
    }
    const holdMs = body.holdMs === undefined ? undefined : num(body, 'holdMs');
    if (body.path !== undefined && typeof body.path !== 'string')
      throw new ControlError(400, '"path" must be a string');
    em.faults.failNext(num(body, 'n', 1), kind as ApiFaultKind, holdMs, body.path);
    return { ok: true };
  }
  if (key === 'POST /_emulator/faults/webhooks') {
    const n = num(body, 'n', 1);
    switch (body.mode) {
      case 'duplicate':
        em.faults.duplicateNext(n);
        break;
      case 'reorder':
        em.faults.reorderNext(n);
        break;
      case 'drop':
        em.faults.dropNext(n);
        break;
      case 'delay':
        em.faults.delayNext(n, num(body, 'ms'));
        break;
      default:
        throw new ControlError(400, '"mode" must be one of duplicate, reorder, drop, delay');
    }
    return { ok: true };
  }
  if (key === 'GET /_emulator/webhook') {
    return { webhook: em.webhooks.getConfig() };
  }
  if (key === 'POST /_emulator/webhook') {
    if (body.url === null || body.url === undefined) em.setWebhook(null);
    else em.setWebhook({ url: str(body, 'url'), secret: str(body, 'secret') });
    return { ok: true };
  }
  if (key === 'GET /_emulator/deliveries') return { deliveries: em.webhooks.log };
  if (key === 'POST /_emulator/webhooks/idle') {
    const timeoutMs = body.timeoutMs === undefined ? 10_000 : num(body, 'timeoutMs');
    return { idle: await waitIdle(em, timeoutMs) };
  }
  if (key === 'POST /_emulator/reset') {
    em.reset();
    return { ok: true };
  }
  if (key === 'POST /_emulator/snapshot') {
    em.writeSnapshot();
    return { ok: true };
  }
  const redeliver = /^POST \/_emulator\/events\/([^/]+)\/redeliver$/.exec(key);
  if (redeliver) {
    const event = em.store.events.get(decodeURIComponent(redeliver[1] ?? ''));
    if (!event) throw new ControlError(404, 'No such event');
    em.webhooks.redeliver(event);
    return { ok: true };
  }
  const complete = /^POST \/_emulator\/checkout\/([^/]+)\/complete$/.exec(key);
  if (complete) {
    const id = decodeURIComponent(complete[1] ?? '');
    if (!em.store.checkoutSessions.has(id)) throw new ControlError(404, `No such checkout.session: '${id}'`);
    const authentication = body.authentication ?? 'complete';
    if (authentication !== 'complete' && authentication !== 'fail') {
      throw new ControlError(400, '"authentication" must be complete or fail');
    }
    const payer = {
      email: typeof body.email === 'string' ? body.email : null,
      name: typeof body.name === 'string' ? body.name : null,
    };
    const result = completeCheckout(em.ctx(), id, str(body, 'cardNumber'), payer, authentication);
    em.scheduleSnapshot();
    if (!result.ok) throw new ControlError(402, result.message);
    return { redirect: result.redirect };
  }
  throw new ControlError(404, `Unknown control endpoint: ${key}`);
}

/** The test-only API under `/_emulator/…`: clock, faults, webhook endpoint, reset. */
export async function handleControl(
  em: Emulator,
  method: string,
  path: string,
  rawBody: string,
): Promise<ControlResult> {
  try {
    return { status: 200, json: await dispatch(em, method, path, parseBody(rawBody)) };
  } catch (e) {
    if (e instanceof ControlError) return { status: e.status, json: { error: { message: e.message } } };
    if (e instanceof ApiError) return { status: e.status, json: { error: e.body } };
    throw e;
  }
}
