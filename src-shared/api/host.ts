import type { ApiEventName, ApiEvents, ApiMethod, ApiParsedParams, ApiResult, Progress } from './contract';
import { apiParams } from './contract';
import { ApiError } from './errors';
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
      const result = await this.invoke(method, rawParams, {
        signal: controller.signal,
        progress: (progress) => send({ type: 'progress', id, progress }),
      });
      send({ type: 'result', id, result });
    } catch (error) {
      send({ type: 'error', id, error: this.toApiError(error, method, controller.signal).toValue() });
    } finally {
      inFlight.delete(id);
    }
  }

  /** Validates and runs one call; also the in-process entry point for the CLI. */
  async invoke(method: string, rawParams: unknown, context: CallContext): Promise<unknown> {
    if (!Object.hasOwn(apiParams, method)) throw new ApiError('unknown_method', `unknown method: ${method}`);
    const name = method as ApiMethod;
    const parsed = apiParams[name].safeParse(rawParams ?? {});
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
    this.onInternalError(error, method);
    const message = error instanceof Error ? error.message : String(error);
    return new ApiError('internal', `${method} failed: ${message}`);
  }
}
