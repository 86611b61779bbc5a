import { generateOpenApiDocument } from 'trpc-to-openapi';
import { appRouter } from '../routers/root';

export function openApiDocument(baseUrl: string) {
  return generateOpenApiDocument(appRouter, {
    title: 'Contox Billing API',
    description:
      'Per-seat subscriptions, usage metering and prepaid token credits. Authenticate with `Authorization: Bearer contox_sk_…`. Errors are `{ "error": "…" }`.',
    version: '1.0.0',
    baseUrl,
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
  });
}
