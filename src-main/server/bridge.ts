import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { ApiError, type ApiErrorCode } from '../../src-shared/api/errors';
import type { ApiHost } from '../../src-shared/api/host';
import type { ClientMessage } from '../../src-shared/api/protocol';
import { serveStatic } from './staticFiles';
import { bearerToken, tokenMatches } from './token';

export interface BridgeOptions {
  host: ApiHost;
  token: string;
  port?: number;
  /** Loopback only unless told otherwise. */
  bindAddress?: string;
  /** Built renderer to serve at /, if any. */
  staticDir?: string;
  /** Where a bug's detail goes (the caller only learns that it happened). */
  onInternalError?: (error: unknown) => void;
}

export interface Bridge {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

/** The HTTP status of each error code, for POST /api/<method>. */
const HTTP_STATUS: Record<ApiErrorCode, number> = {
  invalid_params: 400,
  unknown_method: 404,
  bad_input: 422,
  not_found: 404,
  no_project: 409,
  cancelled: 499,
  unauthorized: 401,
  internal: 500,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError('invalid_params', `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Browser mode: the same API host over WebSocket (/ws, token in the query) and over plain HTTP
 * (POST /api/<method>, bearer token), plus the built renderer. Binds 127.0.0.1 by default.
 */
// Long because the HTTP and WebSocket servers share their token, limits and error handlers in this one closure.
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { host, token } = options;
  const onInternalError = options.onInternalError ?? ((error: unknown) => console.error('pumpdeck serve:', error));
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname.startsWith('/api/')) return serveApiCall(req, res, url.pathname.slice('/api/'.length));
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendJson(res, 405, { code: 'invalid_params', message: 'method not allowed' });
      if (!options.staticDir) return sendJson(res, 404, { code: 'not_found', message: 'no renderer is served here' });
      await serveStatic(options.staticDir, url.pathname, res);
    })().catch((error) => {
      onInternalError(error);
      if (!res.headersSent) sendJson(res, 500, { code: 'internal', message: 'internal error' });
      else res.destroy();
    });
  });
  // A request the HTTP parser cannot read closes that connection only.
  server.on('clientError', (_error, socket) => socket.destroy());

  async function serveApiCall(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { code: 'invalid_params', message: 'use POST' });
    if (!tokenMatches(token, bearerToken(req.headers.authorization))) {
      return sendJson(res, 401, { code: 'unauthorized', message: 'missing or wrong bearer token' });
    }
    let params: unknown;
    try {
      const body = await readBody(req);
      params = body ? JSON.parse(body) : {};
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('invalid_params', 'the body is not JSON');
      return sendJson(res, HTTP_STATUS[apiError.code], apiError.toValue());
    }
    try {
      const controller = new AbortController();
      res.once('close', () => res.writableFinished || controller.abort());
      sendJson(res, 200, await host.call(method, params, { signal: controller.signal, progress: () => {} }));
    } catch (error) {
      const apiError = error as ApiError;
      sendJson(res, HTTP_STATUS[apiError.code], apiError.toValue());
    }
  }

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws' || !tokenMatches(token, url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });
  sockets.on('error', onInternalError);

  function attach(ws: WebSocket): void {
    const session = host.connect((message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    });
    // A frame ws cannot accept (too large, unmasked, invalid UTF-8) ends this connection only.
    ws.on('error', () => ws.terminate());
    ws.on('message', (data) => {
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        return ws.close(1003, 'messages are JSON');
      }
      session.receive(message as ClientMessage);
    });
    ws.on('close', () => session.close());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ApiError(
              'bad_input',
              `port ${options.port} on ${bindAddress} is in use: pass --port N, or --port 0 for a free one`,
            )
          : error,
      ),
    );
    server.listen(options.port ?? 0, bindAddress, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${bindAddress}:${port}/?token=${encodeURIComponent(token)}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
