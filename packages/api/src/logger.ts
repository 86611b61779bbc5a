import { pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
type Extra = Record<string, unknown>;
export interface Logger {
  debug(msg: string, extra?: Extra): void;
  info(msg: string, extra?: Extra): void;
  warn(msg: string, extra?: Extra): void;
  error(msg: string, extra?: Extra): void;
}

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
