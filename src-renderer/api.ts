import { ApiClient } from '../src-shared/api/client';
import { ApiError } from '../src-shared/api/errors';
import { connectIpc, type PreloadBridge } from '../src-shared/api/ipc';
import type { ClientMessage, Connection, ServerMessage } from '../src-shared/api/protocol';

declare global {
  interface Window {
    pumpdeck?: PreloadBridge;
  }
}

const TOKEN_KEY = 'pumpdeck.token';

/** Browser mode: the token arrives once in the URL, then lives in this tab's sessionStorage. */
function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export type ConnectionState = 'ipc' | 'websocket' | 'closed' | 'unauthorized' | 'no-token';
let state: ConnectionState = window.pumpdeck ? 'ipc' : 'websocket';
let retryAt: number | null = null;
const stateListeners = new Set<(s: ConnectionState) => void>();
let reconnectNow: () => void = () => {};

function setState(next: ConnectionState): void {
  state = next;
  for (const listener of stateListeners) listener(state);
}

const DOWN = 'PumpDeck is not connected: the call was not sent. It reconnects by itself; see the banner.';

/**
 * Browser mode's WebSocket, kept up: when it drops, calls in flight fail, calls made while it is
 * down fail at once (never wait silently), and it reconnects with backoff (1, 2, 4 … 30 s). Back
 * up, the views reload. A token the server refuses (it was restarted) stops the retries: the
 * banner says to open the new address.
 */
function connectBrowser(onLost: () => void): Connection {
  const token = takeToken();
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const listeners = new Set<(message: ServerMessage) => void>();
  const deliver = (message: ServerMessage) => {
    for (const listener of listeners) listener(message);
  };
  const queue: ClientMessage[] = [];
  let socket: WebSocket | null = null;
  let everOpen = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** Why the socket closed: the token refused (401) or the server out of reach. */
  const probe = async (): Promise<ConnectionState> => {
    try {
      const response = await fetch('/api/app.info', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      return response.status === 401 ? 'unauthorized' : 'closed';
    } catch {
      return 'closed';
    }
  };

  const open = () => {
    clearTimeout(timer);
    retryAt = null;
    const ws = new WebSocket(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token ?? '')}`);
    socket = ws;
    ws.addEventListener('open', () => {
      const recovered = everOpen;
      everOpen = true;
      attempt = 0;
      setState('websocket');
      for (const m of queue.splice(0)) ws.send(JSON.stringify(m));
      if (recovered) deliver({ type: 'event', event: 'data.changed', payload: { tables: [] } });
    });
    ws.addEventListener('message', (event) => deliver(JSON.parse(String(event.data)) as ServerMessage));
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      onLost();
      void probe().then((why) => {
        if (why === 'closed') {
          const delay = Math.min(30, 2 ** attempt++) * 1000;
          retryAt = Date.now() + delay;
          timer = setTimeout(open, delay);
        }
        setState(why);
      });
    });
  };
  reconnectNow = () => {
    if (state === 'closed') open();
  };
  if (token) open();
  else state = 'no-token';
  return {
    send: (message) => {
      if (socket?.readyState === WebSocket.OPEN) return socket.send(JSON.stringify(message));
      if (!everOpen && state !== 'no-token') return void queue.push(message);
      if (message.type === 'call')
        deliver({ type: 'error', id: message.id, error: { code: 'internal', message: DOWN } });
    },
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const api: ApiClient = (() => {
  if (window.pumpdeck) return new ApiClient(connectIpc(window.pumpdeck));
  let client: ApiClient | null = null;
  const connection = connectBrowser(() =>
    client?.failAll(new ApiError('internal', 'the connection to PumpDeck was lost; it reconnects by itself')),
  );
  client = new ApiClient(connection);
  return client;
})();

export function connectionState(): ConnectionState {
  return state;
}

/** When the next reconnect is tried (ms since the epoch), while disconnected. */
export function nextRetry(): number | null {
  return retryAt;
}

export function retryConnection(): void {
  reconnectNow();
}

export function onConnectionState(listener: (s: ConnectionState) => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}
