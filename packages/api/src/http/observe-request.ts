import type { IncomingMessage, ServerResponse } from 'node:http';
import { nanoid } from 'nanoid';
import { inRequestScope, type Logger, type RequestScope } from '../logger';
import { httpDuration, httpRequests } from '../metrics';

// A caller's (or a proxy's) id is kept when it is a plain token: it lands in logs and a response header.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The id of one request: the caller's `X-Request-Id` when it is a sane token of at most 128 characters, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = Array.isArray(given) ? given[0] : given;
  return id && SANE_REQUEST_ID.test(id) ? id : nanoid();
}

/**
 * Serves one request inside its scope: its id is echoed in `X-Request-Id` and carried by every line logged
 * while serving it; once the answer is sent (or the caller hung up), one access line at info and the request
 * metrics. `routeOf` names the route template after serving, when the handler has found it.
 */
export function observeRequest<T>(
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
  routeOf: () => string,
  serve: () => Promise<T>,
): Promise<T> {
  const started = process.hrtime.bigint();
  const scope: RequestScope = { requestId: requestIdOf(req) };
  res.setHeader('X-Request-Id', scope.requestId);
  const done = () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const route = routeOf();
    const method = req.method ?? 'GET';
    // A response never finished was cut off: the caller hung up, or the server closed the connection.
    const status = res.writableFinished ? res.statusCode : 499;
    httpRequests.inc({ route, method, status: String(status) });
    httpDuration.observe({ route, method }, ms / 1000);
    log.info('request', {
      requestId: scope.requestId,
      method,
      route,
      status,
      ms: Math.round(ms * 10) / 10,
      ...(scope.accountId ? { accountId: scope.accountId } : {}),
    });
  };
  res.once('close', done);
  return inRequestScope(scope, () => {
    log.debug('request received', { method: req.method, path: req.url?.split('?')[0] });
    return serve();
  });
}
