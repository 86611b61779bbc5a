import { TRPCError } from '@trpc/server';
import { httpStatusOf } from '../errors';

interface Issue {
  path?: PropertyKey[];
  message?: string;
}

function issuesOf(err: TRPCError): Issue[] | null {
  const issues = (err.cause as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as Issue[]) : null;
}

/** Any failure as the contract's `{ "error": "…" }` and its status; invalid input names the fields at fault. */
export function restError(err: unknown): { status: number; body: { error: string } } {
  const e = err instanceof TRPCError ? err : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: err });
  const status = httpStatusOf[e.code];
  if (status >= 500 && e.code === 'INTERNAL_SERVER_ERROR') return { status, body: { error: 'Internal server error' } };
  const issues = issuesOf(e);
  if (e.code === 'BAD_REQUEST' && issues?.length) {
    const parts = issues.map(
      (i) => `${i.path?.length ? `${i.path.map(String).join('.')}: ` : ''}${i.message ?? 'invalid'}`,
    );
    return { status, body: { error: `Invalid request: ${parts.join('; ')}` } };
  }
  return { status, body: { error: e.message } };
}
