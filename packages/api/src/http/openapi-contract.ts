import { codeOfStatus, ERROR_CODES, type ErrorCode, errorCodes } from '../error-codes';
import type { BillingMeta } from '../routers/contract-meta';
import { answerHeaders, IDEMPOTENCY_KEY_PARAMETER } from './openapi-components';

/** One operation of the generated document, as far as this file reads and writes it. */
export interface Operation {
  tags?: string[];
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; example?: unknown }[];
  requestBody?: { content: Record<string, { schema?: unknown; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown; example?: unknown }> }>;
  [key: string]: unknown;
}

export interface ProcedureInfo {
  method: string;
  path: string;
  type: 'query' | 'mutation';
  meta: BillingMeta;
}

export const OPERATOR_TAG = 'Operator';

const STATUS_TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'No valid credentials',
  402: 'Payment needed',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Not JSON',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Stripe unavailable',
};

/**
 * Every code this operation can answer with: what its kind of access and its input imply, plus the codes its
 * meta declares. `errorResponses` (trpc-to-openapi's own field) counts as the bare codes of its statuses.
 */
export function codesOf(info: ProcedureInfo, op: Operation): Set<ErrorCode> {
  const { meta, method, path } = info;
  const operator = op.tags?.includes(OPERATOR_TAG) ?? false;
  const codes = new Set<ErrorCode>(['rate_limited', 'internal']);
  const add = (...more: ErrorCode[]) => {
    for (const code of more) codes.add(code);
  };
  // A body can be malformed, too large or not JSON; GET's input is its query string.
  if (method !== 'GET') add('validation_failed', 'payload_too_large', 'unsupported_media_type');
  if ((op.parameters ?? []).some((p) => p.in !== 'header') || meta.idempotencyKeyHeader) codes.add('validation_failed');
  if (meta.openapi?.protect !== false) codes.add('unauthenticated');
  if (meta.openapi?.protect !== false && !operator) codes.add('forbidden');
  if (operator || path.includes('{')) codes.add('not_found');
  if (meta.idempotencyKeyHeader) codes.add('idempotency_conflict');
  for (const code of meta.errors ?? []) {
    if (!(code in ERROR_CODES)) throw new Error(`${method} ${path}: unknown error code "${code}" in its meta`);
    codes.add(code);
  }
  const legacy = meta.openapi?.errorResponses;
  const legacyStatuses = Array.isArray(legacy) ? legacy : Object.keys(legacy ?? {}).map(Number);
  for (const status of legacyStatuses) codes.add(codeOfStatus(status));
  return codes;
}

function errorResponse(status: number, codes: ErrorCode[]) {
  const lines = codes.map((c) => `\`${c}\`: ${ERROR_CODES[c].meaning}`);
  return {
    description: `${STATUS_TITLES[status] ?? 'Error'}. ${lines.join(' ')}`,
    headers: answerHeaders(status === 429 || status === 503),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/Error' },
            { type: 'object', properties: { code: { type: 'string', enum: codes } } },
          ],
        },
        examples: Object.fromEntries(
          codes.map((c) => [c, { summary: ERROR_CODES[c].meaning, value: { error: ERROR_CODES[c].example, code: c } }]),
        ),
      },
    },
  };
}

/** The error responses of one operation, a status each, its codes in the list's order. */
export function errorResponses(codes: Set<ErrorCode>) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodes.filter((c) => codes.has(c))) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, list]) => [String(status), errorResponse(status, list)]));
}

/** Who may call: the operator's token, an API key or the session (with the CSRF header on changes), or anyone. */
export function securityOf(info: ProcedureInfo, op: Operation): Record<string, string[]>[] {
  if (info.meta.openapi?.protect === false) return [];
  if (op.tags?.includes(OPERATOR_TAG)) return [{ adminToken: [] }];
  return [{ apiKey: [] }, info.type === 'mutation' ? { session: [], csrf: [] } : { session: [] }];
}

const statusesOf = (meta: BillingMeta): number[] =>
  meta.successStatus === undefined ? [200] : ([] as number[]).concat(meta.successStatus);

/** The success answers (200, or the statuses the meta names), with their headers and the meta's example. */
export function successResponses(info: ProcedureInfo, op: Operation) {
  const generated = op.responses['200']!;
  const content = generated.content?.['application/json'];
  const example = info.meta.examples?.output;
  return Object.fromEntries(
    statusesOf(info.meta).map((status) => [
      String(status),
      {
        description: info.meta.openapi?.successDescription ?? (status === 201 ? 'Created' : 'OK'),
        headers: answerHeaders(false),
        content: { 'application/json': { ...content, ...(example === undefined ? {} : { example }) } },
      },
    ]),
  );
}

/** The meta's example input: the body's example, or each query and path parameter's. */
export function withRequestExample(info: ProcedureInfo, op: Operation): Pick<Operation, 'parameters' | 'requestBody'> {
  const input = info.meta.examples?.input;
  const parameters = (op.parameters ?? []).map((p) =>
    input && p.name in input && p.in !== 'header' ? { ...p, example: input[p.name] } : p,
  );
  if (info.meta.idempotencyKeyHeader) parameters.push(IDEMPOTENCY_KEY_PARAMETER);
  const pathNames = new Set(parameters.filter((p) => p.in === 'path').map((p) => p.name));
  const json = op.requestBody?.content['application/json'];
  if (!op.requestBody || !json) return { parameters };
  const body = input && Object.fromEntries(Object.entries(input).filter(([k]) => !pathNames.has(k)));
  return {
    parameters,
    requestBody: {
      ...op.requestBody,
      content: { 'application/json': { ...json, ...(body ? { example: body } : {}) } },
    },
  };
}
