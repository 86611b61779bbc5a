import {
  forEachOpenApiProcedure,
  generateOpenApiDocument,
  type OpenAPIObject,
  type OpenApiProcedureRecord,
} from 'trpc-to-openapi';
import type { BillingMeta } from '../routers/contract-meta';
import { appRouter } from '../routers/root';
import { API_DESCRIPTION, ERROR_SCHEMAS, HEADERS, SECURITY_SCHEMES, tagObject } from './openapi-components';
import { webhookOperations } from './openapi-webhooks';
import {
  codesOf,
  errorResponses,
  type Operation,
  type ProcedureInfo,
  securityOf,
  successResponses,
  withRequestExample,
} from './openapi-contract';

/** Every REST procedure by `METHOD /path`, with its kind and meta. */
function procedures(): Map<string, ProcedureInfo> {
  const found = new Map<string, ProcedureInfo>();
  forEachOpenApiProcedure(appRouter._def.procedures as OpenApiProcedureRecord, ({ type, meta }) => {
    const { method, path } = meta.openapi;
    found.set(`${method.toLowerCase()} ${path}`, {
      method,
      path,
      type: type === 'query' ? 'query' : 'mutation',
      meta: meta as BillingMeta,
    });
  });
  return found;
}

/** The generator's own `error.*` schemas describe a body we never send: ours replace them. */
const ownSchemas = <T>(schemas: Record<string, T> = {}): Record<string, T> =>
  Object.fromEntries(Object.entries(schemas).filter(([name]) => !name.startsWith('error.')));

/** One operation as the wire answers it: statuses, error codes, headers, security and examples. */
function describeOperation(info: ProcedureInfo, op: Operation): Operation {
  return {
    ...op,
    security: securityOf(info, op),
    ...withRequestExample(info, op),
    responses: { ...successResponses(info, op), ...errorResponses(codesOf(info, op)) },
  };
}

/**
 * The OpenAPI document of the REST API, generated from the procedures' meta by trpc-to-openapi and then
 * completed centrally: every status an operation can answer with, the `{ error, code }` body, rate-limit and
 * request-id headers, the security each operation takes, and the examples the meta gives. `baseUrl` is APP_URL.
 */
export function openApiDocument(baseUrl: string): OpenAPIObject {
  const doc = generateOpenApiDocument(appRouter, {
    title: 'Contox Billing API',
    description: API_DESCRIPTION,
    version: '1.0.0',
    baseUrl,
    securitySchemes: SECURITY_SCHEMES,
  });
  const infos = procedures();
  const tags = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const info = infos.get(`${method} ${path}`);
      if (!info) throw new Error(`No procedure for ${method} ${path}`);
      (item as Record<string, Operation>)[method] = describeOperation(info, op);
      for (const tag of op.tags ?? []) tags.add(tag);
    }
  }
  return {
    ...doc,
    info: { ...doc.info, license: { name: 'Proprietary', url: `${baseUrl}/api/docs` } },
    servers: [{ url: baseUrl, description: 'This service (APP_URL)' }],
    webhooks: webhookOperations(),
    tags: [...tags].map(tagObject),
    components: {
      ...doc.components,
      schemas: { ...ownSchemas(doc.components?.schemas), ...ERROR_SCHEMAS },
      headers: HEADERS,
    },
  };
}
