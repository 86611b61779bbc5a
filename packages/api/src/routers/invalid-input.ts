import type { TRPCError } from '@trpc/server';

interface Issue {
  path?: PropertyKey[];
  message?: string;
}

/**
 * What a refused input was refused for, naming each field at fault (`events.0.id: …`), or null when the
 * error is not a failed input check. One wording for both transports: REST answers it as `{ "error" }` and
 * tRPC as its message, instead of zod's JSON dump of the issues.
 */
export function invalidInputMessage(err: TRPCError): string | null {
  const issues = (err.cause as { issues?: unknown } | undefined)?.issues;
  if (err.code !== 'BAD_REQUEST' || !Array.isArray(issues) || issues.length === 0) return null;
  const parts = (issues as Issue[]).map(
    (i) => `${i.path?.length ? `${i.path.map(String).join('.')}: ` : ''}${i.message ?? 'invalid'}`,
  );
  return `Invalid request: ${parts.join('; ')}`;
}
