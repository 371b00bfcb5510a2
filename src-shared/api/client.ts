import type { ApiEventName, ApiEvents, ApiMethod, ApiParams, ApiResult, Progress } from './contract';
import { ApiError } from './errors';
import type { Connection, ServerMessage } from './protocol';

export interface CallOptions {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: ApiError) => void;
  onProgress?: (progress: Progress) => void;
}

/** The typed client: the renderer, the CLI tests and the edge tools all call the API through it. */
export class ApiClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<ApiEventName, Set<(payload: never) => void>>();

  constructor(private readonly connection: Connection) {
    connection.onMessage((message) => this.receive(message));
  }

  call<M extends ApiMethod>(method: M, params: ApiParams<M>, options: CallOptions = {}): Promise<ApiResult<M>> {
    const id = this.nextId++;
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(new ApiError('cancelled', `${method} was cancelled`));
    return new Promise<ApiResult<M>>((resolve, reject) => {
      const abort = () => this.connection.send({ type: 'cancel', id });
      signal?.addEventListener('abort', abort, { once: true });
      this.pending.set(id, {
        resolve: (value) => {
          signal?.removeEventListener('abort', abort);
          resolve(value as ApiResult<M>);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', abort);
          reject(error);
        },
        onProgress,
      });
      this.connection.send({ type: 'call', id, method, params });
    });
  }

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** Fails every call in flight, e.g. when the socket closes. */
  failAll(error: ApiError): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  private receive(message: ServerMessage): void {
    if (message.type === 'event') {
      for (const listener of this.listeners.get(message.event) ?? [])
        (listener as (p: unknown) => void)(message.payload);
      return;
    }
    // An error with no id answers no call of this client's (it sends only well-formed ones).
    if (message.id === null) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(ApiError.from(message.error));
  }
}
