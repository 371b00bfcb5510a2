import type { ClientMessage, Connection, ServerMessage } from './protocol';

/** The one IPC channel the preload bridges; every API message rides on it. */
export const IPC_CHANNEL = 'pumpdeck:message';

/** What the preload exposes on window.pumpdeck: nothing but invoke and on, for this channel. */
export interface PreloadBridge {
  invoke(channel: typeof IPC_CHANNEL, message: ClientMessage): Promise<void>;
  on(channel: typeof IPC_CHANNEL, listener: (message: ServerMessage) => void): () => void;
}

export function connectIpc(bridge: PreloadBridge): Connection {
  return {
    send: (message) => void bridge.invoke(IPC_CHANNEL, message),
    onMessage: (listener) => bridge.on(IPC_CHANNEL, listener),
  };
}
