import type { FuzzRequest } from './requests';

/** What came back; status 0 when no HTTP answer did (the connection was dropped). */
export interface Answer {
  status: number;
  body: unknown;
  text: string;
}

export async function send(baseUrl: string, req: FuzzRequest): Promise<Answer> {
  try {
    const res = await fetch(`${baseUrl}${req.url}`, {
      method: req.method,
      headers: req.headers,
      redirect: 'manual',
      ...(req.body !== undefined ? { body: req.body } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: res.status, body, text };
  } catch (err) {
    return { status: 0, body: null, text: `no answer: ${(err as Error).cause ?? err}` };
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// A usage call refused whole (plan_limit_reached) carries its per-event results beside the error, as documented.
const answerFields: Record<string, readonly string[]> = { plan_limit_reached: ['results', 'refused'] };

/** The contract's error body: `{ "error": "<message>" }`, with the machine-readable `code` beside it when present. */
function restErrorProblem(body: unknown): string | null {
  if (!isRecord(body)) return 'the error body is not a JSON object';
  if (typeof body.error !== 'string' || body.error.length === 0) return 'no non-empty "error" string';
  const code = String(body.code);
  const allowed = ['error', 'code', ...(Object.hasOwn(answerFields, code) ? answerFields[code]! : [])];
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0) return `unexpected fields ${extra.join(', ')}`;
  if ('code' in body && typeof body.code !== 'string') return '"code" is not a string';
  return null;
}

/** tRPC's error envelope: a message, a JSON-RPC code and data naming the tRPC code and the HTTP status. */
function trpcErrorProblem(item: unknown, status: number | null): string | null {
  if (!isRecord(item) || !isRecord(item.error)) return 'no "error" object';
  const { message, code, data } = item.error;
  if (typeof message !== 'string' || message.length === 0) return 'no non-empty error.message';
  if (typeof code !== 'number' || !Number.isInteger(code)) return 'error.code is not a JSON-RPC integer';
  if (!isRecord(data) || typeof data.code !== 'string') return 'no error.data.code';
  if (typeof data.httpStatus !== 'number' || data.httpStatus < 400 || data.httpStatus >= 500) {
    return `error.data.httpStatus ${String(data.httpStatus)} is not a 4xx`;
  }
  if (status !== null && data.httpStatus !== status) return `error.data.httpStatus ${data.httpStatus} ≠ HTTP ${status}`;
  if ('stack' in data && data.stack !== undefined) return 'error.data carries a stack trace';
  return null;
}

function trpcProblem(batched: boolean, a: Answer): string | null {
  if (!batched) return a.status >= 400 ? trpcErrorProblem(a.body, a.status) : null;
  if (!Array.isArray(a.body)) {
    // A batch refused as a whole (bad method, unparseable input) answers one error, not one per call.
    return a.status >= 400 ? trpcErrorProblem(a.body, a.status) : 'a batch answered without an array';
  }
  for (const item of a.body) {
    if (isRecord(item) && 'result' in item) continue;
    const problem = trpcErrorProblem(item, a.status === 207 ? null : a.status);
    if (problem) return `batch item: ${problem}`;
  }
  return null;
}

/**
 * Why the answer breaks the contract, or null when it keeps it: never a 5xx or a dropped connection, every
 * REST 4xx in the error shape, every tRPC error well-formed. (Status 200 with any content is not judged here:
 * which inputs a procedure accepts is its own tests' business.)
 */
export function problemOf(req: FuzzRequest, a: Answer): string | null {
  if (a.status === 0) return a.text;
  if (a.status >= 500) return `HTTP ${a.status}`;
  if (req.url.startsWith('/trpc/')) return trpcProblem(/[?&]batch=1/.test(req.url), a);
  if (a.status >= 400) {
    const problem = restErrorProblem(a.body);
    return problem ? `HTTP ${a.status}: ${problem}` : null;
  }
  return null;
}

const clip = (s: string, n = 240) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/**
 * A request and its answer on a few lines, long values clipped (with their length), for failure messages.
 * `labels` names the keys it holds (`<free attacker key>`): a reproduction reads the same on every run.
 */
export function describeCase(req: FuzzRequest, a: Answer, labels: Map<string, string>): string {
  const named = (text: string) => [...labels].reduce((t, [secret, label]) => t.split(secret).join(label), text);
  const body =
    req.body === undefined ? '' : typeof req.body === 'string' ? clip(JSON.stringify(req.body)) : `bytes [${req.body}]`;
  return [
    `${req.method} ${clip(req.url)}`,
    ...Object.entries(req.headers).map(([k, v]) => `  ${k}: ${clip(named(v), 80)}`),
    body ? `  body ${named(body)}` : '',
    `  → ${a.status} ${clip(a.text)}`,
  ]
    .filter(Boolean)
    .join('\n');
}
