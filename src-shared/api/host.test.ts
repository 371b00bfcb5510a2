import { describe, expect, it } from 'vitest';
import { ApiClient } from './client';
import { ApiError } from './errors';
import { ApiHost, type Handlers } from './host';
import { connectInMemory } from './inMemory';

// A host with hand-written handlers: the dispatcher's own behaviour, independent of DuckDB.
function fakeHandlers(overrides: Partial<Handlers> = {}): Handlers {
  const unused = async () => {
    throw new Error('not used here');
  };
  return {
    'app.info': async () => ({ version: 't', project: null, user: 'u' }),
    'station.config': unused,
    'station.overview': unused,
    'station.series': unused,
    ...overrides,
  } as Handlers;
}

function client(handlers: Handlers) {
  const host = new ApiHost(handlers);
  return { host, api: new ApiClient(connectInMemory(host)) };
}

describe('ApiHost over the in-memory transport', () => {
  it('answers a call', async () => {
    const { api } = client(fakeHandlers());
    expect(await api.call('app.info', {})).toEqual({ version: 't', project: null, user: 'u' });
  });

  it('rejects params that do not match the contract, naming the field', async () => {
    const { api } = client(fakeHandlers());
    const error = await api.call('station.series', { tags: [], width: 5 }).catch((e: ApiError) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_params');
    expect((error as ApiError).message).toMatch(/^invalid tags for station.series/);
  });

  it('rejects unknown fields and unknown methods', async () => {
    const { api } = client(fakeHandlers());
    await expect(api.call('app.info', { extra: 1 } as never)).rejects.toMatchObject({ code: 'invalid_params' });
    await expect(api.call('no.such' as never, {} as never)).rejects.toMatchObject({ code: 'unknown_method' });
  });

  it('applies defaults before the handler sees the params', async () => {
    let seen: unknown;
    const { api } = client(
      fakeHandlers({
        'station.series': async (params) => {
          seen = params;
          return { from: null, to: null, series: [] };
        },
      }),
    );
    await api.call('station.series', { tags: ['x'] });
    expect(seen).toEqual({ tags: ['x'], width: 1200 });
  });

  it('relays progress and honours cancel', async () => {
    const phases: string[] = [];
    const { api } = client(
      fakeHandlers({
        'station.overview': async (_params, context) => {
          context.progress({ phase: 'one', fraction: 0.5 });
          await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
          throw new Error('aborted');
        },
      }),
    );
    const controller = new AbortController();
    const call = api.call(
      'station.overview',
      {},
      {
        signal: controller.signal,
        onProgress: (p) => {
          phases.push(p.phase);
          controller.abort();
        },
      },
    );
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    expect(phases).toEqual(['one']);
  });

  it('turns a bug into an internal error and a typed failure into itself', async () => {
    const { api } = client(
      fakeHandlers({
        'station.config': async () => {
          throw new ApiError('no_project', 'no station database is open');
        },
        'station.overview': async () => {
          throw new TypeError('boom');
        },
      }),
    );
    await expect(api.call('station.config', {})).rejects.toMatchObject({
      code: 'no_project',
      message: 'no station database is open',
    });
    await expect(api.call('station.overview', {})).rejects.toMatchObject({
      code: 'internal',
      message: "station.overview failed: internal error (details are in PumpDeck's log)",
    });
  });

  it('broadcasts events to every connected client', async () => {
    const { host, api } = client(fakeHandlers());
    const other = new ApiClient(connectInMemory(host));
    const got: string[][] = [];
    api.on('data.changed', (p) => got.push(p.tables));
    other.on('data.changed', (p) => got.push(p.tables));
    host.broadcast('data.changed', { tables: ['readings_wide'] });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(got).toEqual([['readings_wide'], ['readings_wide']]);
  });
});

describe('ApiHost with messages no client would send', () => {
  it('answers what is not a call or a cancel with an error of id null, and keeps serving', async () => {
    const host = new ApiHost(fakeHandlers());
    const answers: unknown[] = [];
    const session = host.connect((message) => answers.push(message));
    const junks = [null, 7, 'call', [], {}, { type: 'call' }, { type: 'call', id: 'x', method: 'app.info' }];
    for (const junk of junks) expect(() => session.receive(junk as never)).not.toThrow();
    session.receive({ type: 'call', id: 1, method: 'app.info', params: {} });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const refused = { type: 'error', id: null, error: expect.objectContaining({ code: 'invalid_params' }) };
    expect(answers).toEqual([
      ...junks.map(() => refused),
      { type: 'result', id: 1, result: { version: 't', project: null, user: 'u' } },
    ]);
  });
});
