import { focusManager, MutationObserver, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isUnreachable } from '../src/lib/errors';
import { createQueryClient } from '../src/lib/query-client';
import { FIRST_DELAY_MS, fetchThroughGateway, MAX_DELAY_MS, recoveryDelay } from '../src/lib/recovery';

const networkFailure = () => new TypeError('Failed to fetch');
const answer = (httpStatus: number, domainCode?: string) => ({ message: 'x', data: { httpStatus, domainCode } });

describe('which failures mean the service could not be reached', () => {
  it('is fetch failing, a gateway answering for the service, or the service saying it is unavailable', () => {
    expect(isUnreachable(networkFailure())).toBe(true);
    expect(isUnreachable(new TypeError('NetworkError when attempting to fetch resource.'))).toBe(true);
    for (const status of [502, 503, 504]) expect(isUnreachable(answer(status))).toBe(true);
  });

  it('is not a client error, a server fault or a domain error, even one sent as a 503', () => {
    for (const status of [400, 401, 404, 409, 429, 500]) expect(isUnreachable(answer(status))).toBe(false);
    expect(isUnreachable(answer(503, 'PAYMENT_PROVIDER_UNAVAILABLE'))).toBe(false);
    expect(isUnreachable(new Error('Unexpected token < in JSON'))).toBe(false);
  });
});

describe('recoveryDelay', () => {
  it('starts at a second and doubles up to the cap', () => {
    const steps = [1, 2, 3, 4, 5, 6, 20].map((n) => recoveryDelay(n, 0.5));
    expect(steps).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
  });

  it('spreads each step by a fifth either way', () => {
    expect(recoveryDelay(1, 0)).toBe(0.8 * FIRST_DELAY_MS);
    expect(recoveryDelay(1, 0.999_999)).toBe(1.2 * FIRST_DELAY_MS);
    expect(recoveryDelay(9, 0.999_999)).toBe(1.2 * MAX_DELAY_MS);
  });
});

describe('fetchThroughGateway', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("reports a gateway's own error page as a failure to reach the service", async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>Bad Gateway</html>', { status: 502 }));
    const err = await fetchThroughGateway('/trpc/x').catch((e: unknown) => e);
    expect(isUnreachable(err)).toBe(true);
  });

  it("passes the service's own answers through, its JSON 503 included", async () => {
    const json = { 'content-type': 'application/json' };
    vi.stubGlobal('fetch', async () => new Response('{}', { status: 503, headers: json }));
    expect((await fetchThroughGateway('/trpc/x')).status).toBe(503);
  });
});

describe('the dashboard QueryClient', () => {
  let client: ReturnType<typeof createQueryClient>;
  let start: number;
  const unsubscribes: (() => void)[] = [];

  beforeEach(() => {
    vi.useFakeTimers();
    // The middle of the jitter: every wait is exactly its step.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    client = createQueryClient();
    // As QueryClientProvider does: focus and connection changes reach the queries.
    client.mount();
    start = Date.now();
  });

  afterEach(() => {
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    client.clear();
    client.unmount();
    focusManager.setFocused(undefined);
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  /** A mounted query whose calls are recorded in ms since the test began; `fail` decides each call. */
  function watch(key: string, fail: () => unknown): number[] {
    const calls: number[] = [];
    const queryFn = async () => {
      calls.push(Date.now() - start);
      const err = fail();
      if (err) throw err;
      return 'data';
    };
    unsubscribes.push(new QueryObserver(client, { queryKey: [key], queryFn }).subscribe(() => {}));
    return calls;
  }

  const gaps = (calls: number[]) => calls.slice(1).map((at, i) => at - (calls[i] ?? 0));

  it('asks again after a network failure, waiting longer each time, until the service answers', async () => {
    let down = true;
    const calls = watch('balance', () => down && networkFailure());
    await vi.advanceTimersByTimeAsync(46_000);
    expect(gaps(calls)).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
    down = false;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(calls.at(-1)).toBe(60_000);
    expect(client.getQueryState(['balance'])?.status).toBe('success');
    // Answered: no more asking until something else (a look at the page, a click) calls for it.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(8);
  });

  it('brings every failed panel back as soon as one of them gets an answer', async () => {
    let down = true;
    const history = watch('history', () => down && networkFailure());
    await vi.advanceTimersByTimeAsync(3_000);
    // Failed at 0, 1 s and 3 s: its next attempt would be at 7 s.
    const balance = watch('balance', () => down && networkFailure());
    await vi.advanceTimersByTimeAsync(500);
    down = false;
    await vi.advanceTimersByTimeAsync(500);
    expect(balance).toEqual([3_000, 4_000]);
    expect(history).toEqual([0, 1_000, 3_000, 4_000]);
    expect(client.getQueryState(['history'])?.status).toBe('success');
  });

  it('does not ask again after a client error or a domain error', async () => {
    const notFound = watch('missing', () => answer(404));
    const domain = watch('stripe', () => answer(503, 'PAYMENT_PROVIDER_UNAVAILABLE'));
    await vi.advanceTimersByTimeAsync(120_000);
    expect([notFound, domain]).toEqual([[0], [0]]);
  });

  it('does not ask while the page is hidden, and asks at once when it is looked at again', async () => {
    const calls = watch('balance', networkFailure);
    await vi.advanceTimersByTimeAsync(10);
    focusManager.setFocused(false);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toEqual([0]);
    focusManager.setFocused(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual([0, 120_010]);
  });

  it('never sends a mutation twice, whatever its failure', async () => {
    for (const failure of [networkFailure(), answer(502), answer(500)]) {
      const mutationFn = vi.fn(async () => Promise.reject(failure));
      const observer = new MutationObserver(client, { mutationFn });
      await expect(observer.mutate()).rejects.toBe(failure);
      await vi.advanceTimersByTimeAsync(120_000);
      expect(mutationFn).toHaveBeenCalledTimes(1);
    }
  });
});
