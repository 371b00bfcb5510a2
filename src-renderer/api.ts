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

function connectBrowser(onClose: () => void): Connection {
  const token = takeToken();
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token ?? '')}`);
  const queue: ClientMessage[] = [];
  const listeners = new Set<(message: ServerMessage) => void>();
  socket.addEventListener('open', () =>
    queue.splice(0).forEach((m) => {
      socket.send(JSON.stringify(m));
    }),
  );
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as ServerMessage;
    listeners.forEach((listener) => {
      listener(message);
    });
  });
  socket.addEventListener('close', onClose);
  return {
    send: (message) =>
      socket.readyState === WebSocket.OPEN ? socket.send(JSON.stringify(message)) : queue.push(message),
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type ConnectionState = 'ipc' | 'websocket' | 'closed';
let state: ConnectionState = window.pumpdeck ? 'ipc' : 'websocket';
const stateListeners = new Set<(s: ConnectionState) => void>();

export const api: ApiClient = (() => {
  if (window.pumpdeck) return new ApiClient(connectIpc(window.pumpdeck));
  let client: ApiClient | null = null;
  const connection = connectBrowser(() => {
    state = 'closed';
    stateListeners.forEach((l) => {
      l(state);
    });
    client?.failAll(new ApiError('internal', 'the connection to PumpDeck closed; reload the page'));
  });
  client = new ApiClient(connection);
  return client;
})();

export function connectionState(): ConnectionState {
  return state;
}

export function onConnectionState(listener: (s: ConnectionState) => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}
