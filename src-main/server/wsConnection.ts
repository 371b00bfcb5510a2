import WebSocket from 'ws';
import type { ClientMessage, Connection, ServerMessage } from '../../src-shared/api/protocol';

/** A Node-side WebSocket connection to a bridge (tests, tools); the browser uses its own WebSocket. */
export async function connectWebSocket(baseUrl: string, token: string): Promise<Connection & { close(): void }> {
  const url = new URL('/ws', baseUrl.replace(/^http/, 'ws'));
  url.searchParams.set('token', token);
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket refused: HTTP ${res.statusCode}`)));
  });
  const listeners = new Set<(message: ServerMessage) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    listeners.forEach((listener) => {
      listener(message);
    });
  });
  return {
    send: (message: ClientMessage) => ws.send(JSON.stringify(message)),
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => ws.close(),
  };
}
