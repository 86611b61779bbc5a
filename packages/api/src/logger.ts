import { AsyncLocalStorage } from 'node:async_hooks';
import { pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
type Extra = Record<string, unknown>;
export interface Logger {
  debug(msg: string, extra?: Extra): void;
  info(msg: string, extra?: Extra): void;
  warn(msg: string, extra?: Extra): void;
  error(msg: string, extra?: Extra): void;
}

/** What every line logged while serving one request carries: its id, and the caller's account once known. */
export interface RequestScope {
  requestId: string;
  accountId?: string;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** Runs `work` as part of one request: every line it logs, however deep, names the request. */
export const inRequestScope = <T>(request: RequestScope, work: () => T): T => scope.run(request, work);

/** The request being served, if any (mutable: the account id is added once the caller is known). */
export const currentRequest = (): RequestScope | undefined => scope.getStore();

/** Runs `work` outside any request: work shared by many requests (a spend batch) must not name one of them. */
export const outsideRequestScope = <T>(work: () => T): T => scope.exit(work);

/**
 * One JSON line per entry on stderr, so stdout stays for what a person is meant to read. Written synchronously:
 * the line that explains an exit must not be lost with the process. The returned object has plain methods, so
 * a caller can wrap one (`{ ...log, warn }`) and keep the others.
 */
export function createLogger(level: LogLevel): Logger {
  const log = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...scope.getStore() }),
    },
    pino.destination({ dest: 2, sync: true }),
  );
  return {
    debug: (msg, extra) => log.debug(extra ?? {}, msg),
    info: (msg, extra) => log.info(extra ?? {}, msg),
    warn: (msg, extra) => log.warn(extra ?? {}, msg),
    error: (msg, extra) => log.error(extra ?? {}, msg),
  };
}
