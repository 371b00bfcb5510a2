import type { ApiHost } from './host';
import type { ClientMessage, Connection, ServerMessage } from './protocol';

/**
 * A connection straight into a host, for unit tests and in-process use. Messages are cloned so
 * anything that would not survive JSON fails here as it would over a socket.
 */
export function connectInMemory(host: ApiHost): Connection & { close(): void } {
  const listeners = new Set<(message: ServerMessage) => void>();
  const session = host.connect((message) => {
    const copy = JSON.parse(JSON.stringify(message)) as ServerMessage;
    queueMicrotask(() =>
      listeners.forEach((listener) => {
        listener(copy);
      }),
    );
  });
  return {
    send: (message: ClientMessage) => session.receive(JSON.parse(JSON.stringify(message)) as ClientMessage),
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => session.close(),
  };
}
