import { SIGNATURE_HEADER, signatureHeader } from '@contox/webhooks';

/** What one POST to an endpoint came to. */
export interface PostOutcome {
  ok: boolean;
  statusCode: number | null;
  /** The start of the answer, or why there was none. */
  excerpt: string;
  durationMs: number;
}

const EXCERPT_CHARS = 300;

/** Reads at most EXCERPT_CHARS characters of an answer and drops the rest unread. */
async function excerptOf(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < EXCERPT_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, EXCERPT_CHARS);
}

export const isWebUrl = (url: string): boolean => {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};

/**
 * POSTs a signed event: JSON body, `Contox-Signature` over it with the signing time, the event id and type in
 * headers. Only a 2xx answer counts; a redirect is never followed (it is a failed attempt, its status kept),
 * and the request is abandoned after `timeoutMs` or when `signal` aborts (shutdown).
 */
export async function postWebhook(args: {
  url: string;
  secret: string;
  body: string;
  eventId: string;
  eventType: string;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  if (!isWebUrl(args.url)) return { ok: false, statusCode: null, excerpt: 'not an http(s) URL', durationMs: 0 };
  try {
    const res = await fetch(args.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.any([args.signal, AbortSignal.timeout(args.timeoutMs)]),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Contox-Billing-Webhooks/1.0',
        [SIGNATURE_HEADER]: signatureHeader(args.body, args.secret, Math.floor(Date.now() / 1000)),
        'contox-event-id': args.eventId,
        'contox-event-type': args.eventType,
      },
      body: args.body,
    });
    const excerpt = await excerptOf(res);
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, excerpt, durationMs: elapsed() };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    const why = timedOut ? `no answer within ${args.timeoutMs} ms` : errorText(err);
    return { ok: false, statusCode: null, excerpt: why.slice(0, EXCERPT_CHARS), durationMs: elapsed() };
  }
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
}
