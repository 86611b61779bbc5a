import type { Params } from './form';
import type { Ctx } from './state';

export type Method = 'GET' | 'POST' | 'DELETE';

export interface Route {
  method: Method;
  pattern: RegExp;
  /** Top-level parameters the endpoint understands; `expand` is always accepted. */
  allowed: readonly string[];
  handle: (ctx: Ctx, p: Params, args: string[]) => unknown;
}

export function route(
  method: Method,
  path: string,
  allowed: readonly string[],
  handle: (ctx: Ctx, p: Params, args: string[]) => unknown,
): Route {
  const source = path.replace(/:[a-z_]+/g, '([^/]+)');
  return { method, pattern: new RegExp(`^${source}$`), allowed: [...allowed, 'expand'], handle };
}

export function match(routes: readonly Route[], method: string, path: string): { route: Route; args: string[] } | null {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (m) return { route: r, args: m.slice(1).map((s) => decodeURIComponent(s)) };
  }
  return null;
}

/** Id from the path, or the same 404 Stripe gives for an unknown object. */
export function arg(args: string[], i = 0): string {
  return args[i] ?? '';
}
