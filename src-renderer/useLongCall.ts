import { useState } from 'react';
import type { Progress } from '../src-shared/api/contract';

export interface LongCall {
  /** What runs now, with its latest progress; null when idle. */
  busy: { what: string; progress?: Progress; cancel(): void } | null;
  error: string | null;
  /** Runs `work` with a cancel signal and a progress sink; a cancel shows `cancelled`. */
  run(
    what: string,
    work: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<void>,
    cancelled?: string,
  ): Promise<void>;
}

/** One long call (build, train, package) at a time: progress, cancel, and its error for the view. */
export function useLongCall(): LongCall {
  const [busy, setBusy] = useState<LongCall['busy']>(null);
  const [error, setError] = useState<string | null>(null);
  const run: LongCall['run'] = async (what, work, cancelled = 'Cancelled: nothing was written.') => {
    const controller = new AbortController();
    setBusy({ what, cancel: () => controller.abort() });
    setError(null);
    try {
      await work(controller.signal, (progress) => setBusy((b) => (b ? { ...b, progress } : b)));
    } catch (e) {
      const err = e as { code?: string; message: string };
      setError(err.code === 'cancelled' ? cancelled : err.message);
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, run };
}
