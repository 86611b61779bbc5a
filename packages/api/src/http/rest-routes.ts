import { forEachOpenApiProcedure, type OpenApiProcedureRecord } from 'trpc-to-openapi';
import { appRouter } from '../routers/root';
import { type RestCall, restCall } from './rest-call';

export interface RestRoute {
  /** The procedure's dotted path in the router (`credits.spend`). */
  procedure: string;
  method: string;
  call: RestCall;
}

/** `METHOD /path` → procedure, read once from the procedures' OpenAPI meta (the same meta the document uses). */
export function restRoutes(): Map<string, RestRoute> {
  const routes = new Map<string, RestRoute>();
  forEachOpenApiProcedure(appRouter._def.procedures as OpenApiProcedureRecord, ({ path, meta, procedure }) => {
    routes.set(`${meta.openapi.method} ${meta.openapi.path}`, {
      ...{ procedure: path, method: meta.openapi.method },
      call: restCall(procedure as unknown as Parameters<typeof restCall>[0], path),
    });
  });
  return routes;
}

/** What a request's path and method come to: a route and its path parameters, a wrong method, or no such path. */
export type RestMatch =
  | { kind: 'route'; route: RestRoute; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

interface PathEntry {
  /** Matches the path template with one group per `{parameter}`; null for a path without parameters. */
  pattern: RegExp | null;
  params: string[];
  methods: Map<string, RestRoute>;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function pathEntry(template: string): PathEntry {
  const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const source = template
    .split(/\{\w+\}/)
    .map(escapeRegExp)
    .join('([^/]+)');
  return { pattern: params.length ? new RegExp(`^${source}$`) : null, params, methods: new Map() };
}

function paramsOf(entry: PathEntry, path: string): Record<string, string> | null {
  const m = entry.pattern?.exec(path);
  if (!m) return null;
  try {
    return Object.fromEntries(entry.params.map((name, i) => [name, decodeURIComponent(m[i + 1]!)]));
  } catch {
    return null; // a malformed %-escape names no record
  }
}

/** Matches requests against the documented paths, `{parameter}` templates included (exact paths first). */
export function restRouter(): (method: string, path: string) => RestMatch {
  const paths = new Map<string, PathEntry>();
  for (const [key, route] of restRoutes()) {
    const template = key.slice(key.indexOf(' ') + 1);
    const entry = paths.get(template) ?? pathEntry(template);
    entry.methods.set(route.method, route);
    paths.set(template, entry);
  }
  const templated = [...paths.values()].filter((e) => e.pattern);
  const find = (path: string): { entry: PathEntry; params: Record<string, string> } | null => {
    const exact = paths.get(path);
    if (exact && !exact.pattern) return { entry: exact, params: {} };
    for (const entry of templated) {
      const params = paramsOf(entry, path);
      if (params) return { entry, params };
    }
    return null;
  };
  return (method, path) => {
    const hit = find(path);
    if (!hit) return { kind: 'not_found' };
    const route = hit.entry.methods.get(method);
    if (route) return { kind: 'route', route, params: hit.params };
    return { kind: 'method_not_allowed', allow: [...hit.entry.methods.keys()].sort() };
  };
}
