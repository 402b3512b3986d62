import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import { listen, type Listening } from '../net/listen';
import { ApiError } from './errors';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../limits/http';

export interface HttpServer extends Listening {
  readonly server: Server;
}

export interface HttpServerOptions {
  /** How long requests in flight get on close (SHUTDOWN_DRAIN_MS). */
  readonly drainMs?: number;
  readonly limits?: HttpLimits;
}

/** The API's HTTP server on `host:port`. */
export async function startHttpServer(app: Express, host: string, port: number, options: HttpServerOptions = {}): Promise<HttpServer> {
  const limits = options.limits ?? DEFAULT_HTTP_LIMITS;
  const server = createServer({ maxHeaderSize: limits.maxHeaderBytes }, app);
  // Slow or stalled clients must not hold connections forever (slowloris); keep-alive stays
  // above common load-balancer idle timeouts.
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 65_000;
  server.on('clientError', answerClientError);
  return { server, ...(await listen(server, host, port, { portName: 'PORT', drainMs: options.drainMs ?? 10_000 })) };
}

/**
 * Requests Node's parser refuses never reach the app; without this listener Node answers them
 * itself with an empty body. They get Twilio's error shape like every other refusal.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const error = clientErrorOf(err.code);
  const body = JSON.stringify(error.toBody());
  socket.end(
    `HTTP/1.1 ${error.status} ${REASONS[error.status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}

const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function clientErrorOf(code: string | undefined): ApiError {
  if (code === 'HPE_HEADER_OVERFLOW') return new ApiError(431, 20431, 'Request line and headers are too large (LIMIT_MAX_HEADER_BYTES)');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new ApiError(408, 20408, 'Request Timeout');
  return new ApiError(400, 20400, 'Bad Request: the request is not valid HTTP');
}
