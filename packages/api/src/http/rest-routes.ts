import { forEachOpenApiProcedure, type OpenApiProcedureRecord } from 'trpc-to-openapi';
import { appRouter } from '../routers/root';

export interface RestRoute {
  /** The procedure's dotted path in the router (`credits.spend`). */
  procedure: string;
  method: string;
}

/** `METHOD /path` → procedure, read once from the procedures' OpenAPI meta (the same meta the document uses). */
export function restRoutes(): Map<string, RestRoute> {
  const routes = new Map<string, RestRoute>();
  forEachOpenApiProcedure(appRouter._def.procedures as OpenApiProcedureRecord, ({ path, meta }) => {
    routes.set(`${meta.openapi.method} ${meta.openapi.path}`, { procedure: path, method: meta.openapi.method });
  });
  return routes;
}
