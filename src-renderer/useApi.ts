import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiMethod, ApiParams, ApiResult } from '../src-shared/api/contract';
import type { ApiErrorValue } from '../src-shared/api/errors';
import { api } from './api';

export interface ApiState<T> {
  data: T | null;
  error: ApiErrorValue | null;
  loading: boolean;
  reload(): void;
}

/**
 * Calls one API method, reloads when params change or the server says data changed. `null`
 * params: nothing to ask yet (a chart with no signals picked, a model still loading), no call.
 */
export function useApi<M extends ApiMethod>(method: M, params: ApiParams<M> | null): ApiState<ApiResult<M>> {
  const [data, setData] = useState<ApiResult<M> | null>(null);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(params);
  const latest = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: params are compared by their JSON (key); generation is the reload trigger
  useEffect(() => {
    const call = ++latest.current;
    if (key === 'null') {
      setData(null);
      setError(null);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    api
      .call(method, JSON.parse(key) as ApiParams<M>, { signal: controller.signal })
      .then((result) => {
        if (call !== latest.current) return;
        setData(result);
        setError(null);
      })
      .catch((e: ApiErrorValue) => {
        if (call === latest.current && e.code !== 'cancelled') setError({ code: e.code, message: e.message });
      })
      .finally(() => call === latest.current && setLoading(false));
    return () => controller.abort();
  }, [method, key, generation]);

  useEffect(() => api.on('data.changed', () => setGeneration((g) => g + 1)), []);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}
