export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export interface Logger {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}

const order: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** One JSON line per entry on stderr, so stdout stays for what a person is meant to read. */
export function createLogger(level: LogLevel): Logger {
  const min = order.indexOf(level);
  const at =
    (l: Exclude<LogLevel, 'silent'>) =>
    (msg: string, extra?: Record<string, unknown>): void => {
      if (order.indexOf(l) < min) return;
      process.stderr.write(`${JSON.stringify({ level: l, time: new Date().toISOString(), msg, ...extra })}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
