import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleControl } from './control';
import {
  ApiError,
  authError,
  idempotencyInFlight,
  idempotencyMismatch,
  rateLimited,
  serverError,
  unrecognizedUrl,
} from './errors';
import { applyExpand } from './expand';
import { type FormObject, Params, parseForm } from './form';
import { fingerprint } from './idempotency';
import { newId } from './ids';
import { type PageResult, sendPage } from './pages/html';
import { handleChallengePage, handleCheckoutPage } from './pages/checkout-page';
import { handleInvoicePage, handleIndexPage } from './pages/invoice-page';
import { handlePortalPage } from './pages/portal-page';
import { checkoutSessionRoutes } from './resources/checkout-sessions';
import { customerRoutes } from './resources/customers';
import { API_VERSION, eventRoutes } from './resources/events';
import { invoiceRoutes } from './resources/invoices';
import { paymentIntentRoutes } from './resources/payment-intents';
import { paymentMethodRoutes } from './resources/payment-methods';
import { portalConfigurationRoutes } from './resources/portal-configurations';
import { portalSessionRoutes } from './resources/portal-sessions';
import { priceRoutes } from './resources/prices';
import { productRoutes } from './resources/products';
import { subscriptionRoutes } from './resources/subscriptions';
import { match, type Route } from './router';
import type { Emulator } from './state';

const API_ROUTES: readonly Route[] = [
  ...customerRoutes,
  ...productRoutes,
  ...priceRoutes,
  ...checkoutSessionRoutes,
  ...portalSessionRoutes,
  ...portalConfigurationRoutes,
  ...subscriptionRoutes,
  ...paymentMethodRoutes,
  ...paymentIntentRoutes,
  ...invoiceRoutes,
  ...eventRoutes,
];

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The secret key from `Bearer sk_…` or HTTP Basic (`curl -u sk_…:`), as Stripe accepts both. */
function apiKey(req: IncomingMessage): string | null {
  const auth = header(req, 'authorization');
  if (!auth) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
  if (bearer) return bearer[1] ?? null;
  const basic = /^Basic\s+(\S+)$/i.exec(auth);
  if (basic)
    return (
      Buffer.from(basic[1] ?? '', 'base64')
        .toString('utf8')
        .split(':')[0] ?? null
    );
  return null;
}

interface ApiResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

function errorResponse(error: ApiError): ApiResponse {
  return { status: error.status, body: JSON.stringify({ error: error.body }, null, 2), headers: error.headers };
}

function mergeParams(query: FormObject, body: FormObject): FormObject {
  return { ...query, ...body };
}

/** Runs one API request against the emulator state; never throws. */
function execute(
  em: Emulator,
  method: string,
  path: string,
  params: FormObject,
  requestId: string,
  idemKey: string | null,
): ApiResponse {
  const found = match(API_ROUTES, method, path);
  if (!found) return errorResponse(unrecognizedUrl(method, path));
  const p = new Params(params);
  try {
    p.allowOnly(found.route.allowed);
    const ctx = em.ctx(requestId, idemKey);
    const result = found.route.handle(ctx, p, found.args);
    const expanded = applyExpand(ctx, result, p.strList('expand'));
    return { status: 200, body: JSON.stringify(expanded, null, 2), headers: {} };
  } catch (e) {
    if (e instanceof ApiError) return errorResponse(e);
    console.error('[stripe-emulator] unexpected error', e);
    return errorResponse(serverError());
  }
}

async function handleApi(em: Emulator, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const requestId = newId('req');
  const method = (req.method ?? 'GET').toUpperCase();
  const rawBody = await readBody(req);
  const baseHeaders: Record<string, string> = {
    'Content-Type': 'application/json',
    'Request-Id': requestId,
    'Stripe-Version': header(req, 'stripe-version') ?? API_VERSION,
    'Access-Control-Allow-Origin': '*',
  };
  const send = (r: ApiResponse) => {
    res.writeHead(r.status, { ...baseHeaders, ...r.headers });
    res.end(r.body);
  };

  const fault = em.faults.takeApiFault(url.pathname);
  if (fault?.kind === '500') return send(errorResponse(serverError()));
  if (fault?.kind === '429') return send(errorResponse(rateLimited()));

  const key = apiKey(req);
  if (!key) {
    return send(
      errorResponse(
        authError(
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ),
      ),
    );
  }
  if (!/^sk_\S+$/.test(key)) {
    return send(
      errorResponse(
        authError(
          `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
        ),
      ),
    );
  }

  const params = mergeParams(parseForm(url.search.slice(1)), method === 'GET' ? {} : parseForm(rawBody));
  const idemKey = method === 'GET' ? null : (header(req, 'idempotency-key') ?? null);
  let response: ApiResponse;
  if (idemKey) {
    const decision = em.idempotency.begin(idemKey, fingerprint(method, url.pathname, params));
    if (decision.kind === 'replay') {
      response = {
        status: decision.response.status,
        body: decision.response.body,
        headers: {
          'Idempotent-Replayed': 'true',
          'Original-Request': decision.response.requestId,
          'Idempotency-Key': idemKey,
        },
      };
    } else if (decision.kind === 'mismatch') {
      response = errorResponse(idempotencyMismatch(idemKey));
    } else if (decision.kind === 'in_flight') {
      response = errorResponse(idempotencyInFlight());
    } else {
      response = execute(em, method, url.pathname, params, requestId, idemKey);
      response.headers['Idempotency-Key'] = idemKey;
      em.idempotency.finish(idemKey, { status: response.status, body: response.body, requestId });
    }
  } else {
    response = execute(em, method, url.pathname, params, requestId, null);
  }
  if (method !== 'GET') em.scheduleSnapshot();

  if (fault?.kind === 'timeout') {
    // The work is done and remembered under its idempotency key; only the answer is lost,
    // which is exactly the case a client's retry-with-the-same-key must survive.
    const timer = setTimeout(() => req.socket.destroy(), fault.holdMs);
    timer.unref();
    return;
  }
  send(response);
}

async function readForm(req: IncomingMessage): Promise<FormObject> {
  return parseForm(await readBody(req));
}

async function handlePages(em: Emulator, req: IncomingMessage, url: URL): Promise<PageResult | null> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const challenge = /^\/c\/pay\/([^/]+)\/authenticate$/.exec(path);
  if (challenge) {
    const form = method === 'POST' ? await readForm(req) : {};
    return handleChallengePage(em, method, decodeURIComponent(challenge[1] ?? ''), form);
  }
  const checkout = /^\/c\/pay\/([^/]+)$/.exec(path);
  if (checkout) {
    const form = method === 'POST' ? await readForm(req) : {};
    return handleCheckoutPage(em, method, decodeURIComponent(checkout[1] ?? ''), form);
  }
  const portal = /^\/p\/session\/([^/]+)$/.exec(path);
  if (portal) {
    const form = method === 'POST' ? await readForm(req) : {};
    return handlePortalPage(em, method, decodeURIComponent(portal[1] ?? ''), form, url.searchParams);
  }
  const invoice = /^\/i\/([^/]+)(?:\/pdf)?$/.exec(path);
  if (invoice && (method === 'GET' || method === 'POST')) {
    const form = method === 'POST' ? await readForm(req) : {};
    return handleInvoicePage(em, method, decodeURIComponent(invoice[1] ?? ''), form);
  }
  if (path === '/' && method === 'GET') return handleIndexPage(em);
  return null;
}

export function createEmulatorServer(em: Emulator): Server {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const run = async () => {
      if (url.pathname.startsWith('/v1/')) return handleApi(em, req, res, url);
      if (url.pathname.startsWith('/_emulator/')) {
        const body = await readBody(req);
        const result = await handleControl(em, (req.method ?? 'GET').toUpperCase(), url.pathname, body);
        res.writeHead(result.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(result.json));
        return;
      }
      const page = await handlePages(em, req, url);
      if (page) {
        if ((req.method ?? 'GET').toUpperCase() === 'POST') em.scheduleSnapshot();
        return sendPage(res, page);
      }
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            type: 'invalid_request_error',
            message: `Unrecognized request URL (${req.method}: ${url.pathname}).`,
          },
        }),
      );
    };
    run().catch((e: unknown) => {
      console.error('[stripe-emulator] request failed', e);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: 'Internal emulator error' } }));
    });
  });
  // Longer than the SDK's and fetch's idle reuse: Node's 5 s default closes sockets a client is about to reuse
  // (ECONNRESET after a test step left the connection idle).
  server.keepAliveTimeout = 65_000;
  return server;
}
