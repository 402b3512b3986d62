import pino from 'pino';

export type Logger = pino.Logger;

/**
 * One structured logger per process (JSON lines on stdout). Tests pass a destination to read
 * the lines they assert on.
 */
export function createLogger(level: string, name = 'studio', destination?: pino.DestinationStream): Logger {
  const options = { name, level, base: { pid: process.pid } };
  return destination ? pino(options, destination) : pino(options);
}
