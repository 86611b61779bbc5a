import type { IncomingMessage, ServerResponse } from 'node:http';
import { readCookie, SESSION_COOKIE } from '../services/auth/principal';
import { endSession, redeemSignInLink, SESSION_TTL_MS, sessionFromApiKey } from '../services/auth/sign-in';
import type { BillingDeps } from '../deps';
import { BodyError, readJsonBody } from './read-body';
import { sendError, sendJson } from './respond';

function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${SESSION_TTL_MS / 1000}${secure ? '; Secure' : ''}`;
}

const clearCookie = `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`;

/** Sign-in link, API-key sign-in and sign-out: the only routes that set the dashboard's cookie. */
export async function handleAuthRoute(
  deps: BillingDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const db = deps.database.db;
  const secure = deps.config.appUrl.startsWith('https:');
  if (url.pathname === '/auth/sign-in' && req.method === 'GET') {
    const token = url.searchParams.get('token') ?? '';
    const session = token ? await redeemSignInLink(db, token, deps.now()) : null;
    if (!session) {
      res.writeHead(302, { Location: '/?signin=expired' }).end();
      return true;
    }
    res.writeHead(302, { 'Set-Cookie': sessionCookie(session, secure), Location: '/' }).end();
    return true;
  }
  if (url.pathname === '/auth/session' && req.method === 'POST') {
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch (err) {
      if (err instanceof BodyError) {
        sendError(res, err.status, err.message);
        return true;
      }
      throw err;
    }
    // Any JSON may arrive, `null` included.
    const apiKey = typeof body === 'object' && body !== null ? (body as { apiKey?: unknown }).apiKey : undefined;
    if (typeof apiKey !== 'string' || apiKey.length > 200) {
      sendError(res, 400, 'apiKey: a string is required');
      return true;
    }
    const session = await sessionFromApiKey(db, apiKey, deps.now());
    if (!session) {
      sendError(res, 401, 'Invalid or revoked API key');
      return true;
    }
    res.setHeader('Set-Cookie', sessionCookie(session, secure));
    sendJson(res, 200, { ok: true });
    return true;
  }
  if (url.pathname === '/auth/sign-out' && req.method === 'POST') {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await endSession(db, token);
    res.setHeader('Set-Cookie', clearCookie);
    sendJson(res, 200, { ok: true });
    return true;
  }
  return false;
}
