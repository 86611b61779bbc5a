import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringifySetCookie } from 'cookie';
import type { BillingDeps } from '../deps';
import { readSessionCookie, SESSION_COOKIE } from '../services/auth/principal';
import { endSession, redeemSignInLink, SESSION_TTL_MS, sessionFromApiKey } from '../services/auth/sign-in';
import type { Admission } from './admission';
import { BodyError, parseJsonBody, readBody } from './read-body';
import { sendError, sendJson } from './respond';

/** The dashboard's cookie: out of reach of scripts, sent on top-level navigation, Secure behind https. */
function sessionCookie(deps: BillingDeps, token: string, maxAgeSeconds = SESSION_TTL_MS / 1000): string {
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value: token,
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: maxAgeSeconds,
    secure: deps.config.appUrl.startsWith('https:'),
  });
}

/** Runs a credential's lookup counted against the caller's IP, so guesses are limited there. */
type CheckCredential = Admission['checkCredential'];

/** `GET /auth/sign-in?token=…`: a link from the sign-in mail starts a session once. */
async function signInWithLink(
  deps: BillingDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  check: CheckCredential,
) {
  const token = url.searchParams.get('token') ?? '';
  const checked = token
    ? await check(
        req,
        () => redeemSignInLink(deps.database.db, token, deps.now()),
        (s) => !s,
      )
    : ({ over: false, result: null } as const);
  if (checked.over) return sendError(res, 429, checked.message);
  const session = checked.result;
  if (!session) {
    res.writeHead(302, { Location: '/?signin=expired' }).end();
    return;
  }
  res.writeHead(302, { 'Set-Cookie': sessionCookie(deps, session), Location: '/' }).end();
}

/** `POST /auth/session` with `{ apiKey }`: the dashboard signs in with a key. */
async function signInWithApiKey(deps: BillingDeps, req: IncomingMessage, res: ServerResponse, check: CheckCredential) {
  let body: unknown;
  try {
    body = parseJsonBody(req, await readBody(req));
  } catch (err) {
    if (err instanceof BodyError) return sendError(res, err.status, err.message);
    throw err;
  }
  // Any JSON may arrive, `null` included.
  const apiKey = typeof body === 'object' && body !== null ? (body as { apiKey?: unknown }).apiKey : undefined;
  if (typeof apiKey !== 'string' || apiKey.length > 200) return sendError(res, 400, 'apiKey: a string is required');
  const checked = await check(
    req,
    () => sessionFromApiKey(deps.database.db, apiKey, deps.now()),
    (s) => !s,
  );
  if (checked.over) return sendError(res, 429, checked.message);
  const session = checked.result;
  if (!session) return sendError(res, 401, 'Invalid or revoked API key');
  res.setHeader('Set-Cookie', sessionCookie(deps, session));
  sendJson(res, 200, { ok: true });
}

/**
 * `POST /auth/sign-out`: ends the session and clears the cookie. Like every cookie-authenticated change it needs
 * the header a cross-site form cannot send, so another site cannot sign the customer out.
 */
async function signOut(deps: BillingDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.headers['x-contox-csrf'] === undefined) {
    return sendError(res, 403, 'Missing X-Contox-CSRF header on a cookie-authenticated change');
  }
  const token = readSessionCookie(req.headers.cookie);
  if (token) await endSession(deps.database.db, token);
  res.setHeader('Set-Cookie', sessionCookie(deps, '', 0));
  sendJson(res, 200, { ok: true });
}

/** Sign-in link, API-key sign-in and sign-out: the only routes that set the dashboard's cookie. */
export function authRouteOf(
  deps: BillingDeps,
  req: IncomingMessage,
  url: URL,
  check: CheckCredential,
): ((res: ServerResponse) => Promise<void>) | null {
  const route = `${req.method} ${url.pathname}`;
  if (route === 'GET /auth/sign-in') return (res) => signInWithLink(deps, req, res, url, check);
  if (route === 'POST /auth/session') return (res) => signInWithApiKey(deps, req, res, check);
  if (route === 'POST /auth/sign-out') return (res) => signOut(deps, req, res);
  return null;
}
