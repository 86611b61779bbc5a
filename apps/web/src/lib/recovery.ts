import type { FetchStatus, QueryClient, QueryStatus } from '@tanstack/react-query';
import { GATEWAY_STATUSES, isUnreachable } from './errors';

// When the billing service restarts or the network drops, every panel fails at once. Each failed read is
// asked again on its own, soon at first (a restart takes seconds) and then less and less often, so a long
// outage is not hammered by every open dashboard; the first answer brings every failed panel back at once.

/** The wait before the first new attempt; it doubles with each further failure, up to the cap. */
export const FIRST_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 15_000;
/** Each query waits between 80% and 120% of the step, so panels and dashboards do not ask in lockstep. */
const JITTER = 0.2;

/** What the policy reads of a query; any TanStack Query `Query` fits. */
export interface QueryLike {
  state: { status: QueryStatus; fetchStatus: FetchStatus; error: unknown; errorUpdateCount: number };
}

/** The wait after the `failures`-th failure in a row; `jitter` is a fraction in [0, 1). */
export function recoveryDelay(failures: number, jitter: number): number {
  const step = Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, failures - 1), MAX_DELAY_MS);
  return Math.round(step * (1 - JITTER + 2 * JITTER * jitter));
}

// Both keyed by the Query object, so they go when the cache drops the query. The count of errors at the
// last success turns the query's lifetime error count into failures in a row; the jitter is drawn once per
// query because the interval is recomputed on every render, and a value that changed each time would
// restart the timer before it fires.
const errorsAtLastSuccess = new WeakMap<object, number>();
const jitters = new WeakMap<object, number>();

function jitterOf(query: object): number {
  let jitter = jitters.get(query);
  if (jitter === undefined) {
    jitter = Math.random();
    jitters.set(query, jitter);
  }
  return jitter;
}

/**
 * `refetchInterval` for every query: while a query is in error because the service could not be reached,
 * ask again after a growing wait. TanStack Query skips these refetches while the page is hidden
 * (`refetchIntervalInBackground` is off) and refetches on its own when the page is looked at again.
 */
export function recoveryInterval(query: QueryLike): number | false {
  const { status, error, errorUpdateCount } = query.state;
  if (status !== 'error' || !isUnreachable(error)) return false;
  return recoveryDelay(errorUpdateCount - (errorsAtLastSuccess.get(query) ?? 0), jitterOf(query));
}

/**
 * The QueryCache's `onSuccess`: an answer means the service is back, so every other panel still showing
 * the outage is asked now rather than at the end of its own wait (one batched request).
 */
export function onQuerySuccess(client: QueryClient, query: QueryLike): void {
  errorsAtLastSuccess.set(query, query.state.errorUpdateCount);
  void client.refetchQueries(
    { type: 'active', predicate: (q) => q.state.fetchStatus === 'idle' && recoveryInterval(q) !== false },
    { cancelRefetch: false },
  );
}

/**
 * The `fetch` of the tRPC links. A gateway in front of the service answers for it while the service is
 * down, with a page of its own rather than tRPC's JSON; without this the dashboard would show a JSON parse
 * error. It is a failure to reach the service, so it is reported as fetch reports one. The service's own
 * 503 (JSON, with a domain code) passes through.
 */
export async function fetchThroughGateway(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  const isJson = res.headers.get('content-type')?.includes('application/json') ?? false;
  if (GATEWAY_STATUSES.has(res.status) && !isJson) {
    throw new TypeError(`Failed to fetch: the gateway answered ${res.status}`);
  }
  return res;
}
