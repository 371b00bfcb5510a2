import type { ApiEventName, ApiEvents, Progress } from './contract';
import type { ApiErrorValue } from './errors';

// The wire protocol every transport carries (Electron IPC, WebSocket, in-memory): plain JSON
// messages, so one client and one host serve all three.

export type ClientMessage =
  | { type: 'call'; id: number; method: string; params: unknown }
  | { type: 'cancel'; id: number };

export type ServerMessage =
  | { type: 'result'; id: number; result: unknown }
  /** id null: the message was not a call PumpDeck can answer by its id (none, not an integer). */
  | { type: 'error'; id: number | null; error: ApiErrorValue }
  | { type: 'progress'; id: number; progress: Progress }
  | { [E in ApiEventName]: { type: 'event'; event: E; payload: ApiEvents[E] } }[ApiEventName];

/** A duplex message channel: the only thing a transport has to provide. */
export interface Connection {
  send(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
}
