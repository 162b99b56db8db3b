import type { createInstance } from '@stoplight/prism-http';

/** The logger Prism's components take (a pino logger in Prism's own server). */
export type PrismLogger = Parameters<typeof createInstance>[1]['logger'];

export type LogSink = (line: string) => void;

const levels = ['trace', 'debug', 'info', 'success', 'warn', 'error', 'fatal'] as const;

/**
 * Prism's logger. Quiet (every call a no-op) unless `sink` is given: Prism logs several lines per request, and
 * formatting and writing them costs most of its throughput. Verbose, each line is `[vendor] [NAME] level message`.
 */
export function prismLogger(vendor: string, sink?: LogSink): PrismLogger {
  const make = (name: string): Record<string, unknown> => {
    const logger: Record<string, unknown> = { level: sink ? 'debug' : 'silent' };
    for (const level of levels)
      logger[level] = sink ? writer(sink, `[${vendor}]${name ? ` [${name}]` : ''} ${level}`) : () => {};
    logger.child = (bindings: { name?: string }) => make(bindings?.name ?? name);
    return logger;
  };
  return make('') as unknown as PrismLogger;
}

/** One level's log call as pino takes it (`(message)` or `(object, message)`): a line after `prefix`, if any. */
function writer(sink: LogSink, prefix: string): (first: unknown, second?: unknown) => void {
  return (first, second) => {
    const message = typeof first === 'string' ? first : typeof second === 'string' ? second : '';
    if (message) sink(`${prefix} ${message}`);
  };
}
