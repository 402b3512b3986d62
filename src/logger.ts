import pino from 'pino';

export type Logger = pino.Logger;

/** One structured logger per process (JSON lines on stdout). */
export function createLogger(level: string, name = 'studio'): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}
