import type { ApiEventName, ApiEvents, ApiMethod, ApiParsedParams, ApiResult, Progress } from './contract';
import { apiParams } from './contract';
import { ApiError } from './errors';
import { plainError } from './plainIssues';
import type { ClientMessage, ServerMessage } from './protocol';

export interface CallContext {
  signal: AbortSignal;
  progress(progress: Progress): void;
}

export type Handlers = {
  [M in ApiMethod]: (params: ApiParsedParams<M>, context: CallContext) => Promise<ApiResult<M>>;
};

/** One connected client as the host sees it. */
export interface HostSession {
  receive(message: ClientMessage): void;
  close(): void;
}

/**
 * Serves the handler table to any number of connections. It validates every argument against the
 * contract, turns thrown errors into typed values, relays progress and honours cancel.
 */
export class ApiHost {
  private readonly sessions = new Set<(message: ServerMessage) => void>();

  constructor(
    private readonly handlers: Handlers,
    private readonly onInternalError: (error: unknown, method: string) => void = () => {},
  ) {}

  connect(send: (message: ServerMessage) => void): HostSession {
    const inFlight = new Map<number, AbortController>();
    this.sessions.add(send);
    return {
      receive: (message) => {
        // Whatever arrives is untrusted: a message that is not a call or a cancel is answered with
        // an error with id null (JSON-RPC's "invalid request"): no id it carries can be trusted.
        if (!isClientMessage(message)) {
          send({ type: 'error', id: null, error: new ApiError('invalid_params', MALFORMED).toValue() });
          return;
        }
        if (message.type === 'cancel') inFlight.get(message.id)?.abort();
        else void this.dispatch(message.id, message.method, message.params, send, inFlight);
      },
      close: () => {
        this.sessions.delete(send);
        for (const controller of inFlight.values()) controller.abort();
      },
    };
  }

  broadcast<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    const message = { type: 'event', event, payload } as ServerMessage;
    for (const send of this.sessions) send(message);
  }

  private async dispatch(
    id: number,
    method: string,
    rawParams: unknown,
    send: (message: ServerMessage) => void,
    inFlight: Map<number, AbortController>,
  ): Promise<void> {
    const controller = new AbortController();
    inFlight.set(id, controller);
    try {
      const result = await this.call(method, rawParams, {
        signal: controller.signal,
        progress: (progress) => send({ type: 'progress', id, progress }),
      });
      send({ type: 'result', id, result });
    } catch (error) {
      send({ type: 'error', id, error: (error as ApiError).toValue() });
    } finally {
      inFlight.delete(id);
    }
  }

  /**
   * Validates and runs one call; every failure comes out as an ApiError whose message may be shown
   * to the caller (a bug's detail goes to the log). The entry point of every transport.
   */
  async call(method: string, rawParams: unknown, context: CallContext): Promise<unknown> {
    try {
      return await this.invoke(method, rawParams, context);
    } catch (error) {
      throw this.toApiError(error, method, context.signal);
    }
  }

  private async invoke(method: string, rawParams: unknown, context: CallContext): Promise<unknown> {
    if (!Object.hasOwn(apiParams, method)) throw new ApiError('unknown_method', `unknown method: ${method}`);
    const name = method as ApiMethod;
    const parsed = apiParams[name].safeParse(rawParams ?? {}, { error: plainError });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      const first = issues[0];
      throw new ApiError('invalid_params', `invalid ${first.path || 'params'} for ${method}: ${first.message}`, issues);
    }
    const handler = this.handlers[name] as (params: unknown, context: CallContext) => Promise<unknown>;
    return handler(parsed.data, context);
  }

  private toApiError(error: unknown, method: string, signal: AbortSignal): ApiError {
    if (error instanceof ApiError) return error;
    if (signal.aborted) return new ApiError('cancelled', `${method} was cancelled`);
    // The detail goes to the log; the caller learns only that it was not its fault.
    this.onInternalError(error, method);
    return new ApiError('internal', `${method} failed: internal error (details are in PumpDeck's log)`);
  }
}

const MALFORMED =
  'not a call: a message is {"type": "call", "id": <integer>, "method": "...", "params": {...}} or {"type": "cancel", "id": <integer>}';

/** A call or a cancel with the fields the host reads, whatever else a transport delivered. */
export function isClientMessage(value: unknown): value is ClientMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (!Number.isSafeInteger(m.id)) return false;
  return m.type === 'cancel' || (m.type === 'call' && typeof m.method === 'string');
}
