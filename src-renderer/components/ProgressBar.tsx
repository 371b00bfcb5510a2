import type { Progress } from '../../src-shared/api/contract';
import { formatBytes } from '../format';
import type { LongCall } from '../useLongCall';

export function ProgressBar({ fraction, label }: { fraction: number | null; label: string }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
    >
      <div className="progress-bar" style={{ width: `${Math.round((fraction ?? 0.05) * 100)}%` }} />
      <span className="progress-label">{label}</span>
    </div>
  );
}

/** One line for a long call's progress: phase, percent, count or megabytes, time left. */
export function progressText(p?: Progress): string {
  if (!p) return 'Starting…';
  const pct = p.fraction === null ? '' : ` ${Math.round(p.fraction * 100)} %`;
  const count =
    p.unit === 'bytes' && p.done !== undefined
      ? ` · ${formatBytes(p.done ?? 0)} of ${formatBytes(p.total ?? 0)}`
      : p.done !== undefined && p.total !== undefined
        ? ` · ${p.done} of ${p.total} ${p.unit ?? ''}`
        : '';
  const eta = p.etaSeconds ? ` · about ${Math.ceil(p.etaSeconds)} s left` : '';
  return `${p.phase}${pct}${count}${eta}`;
}

/** The running long call's progress bar and its Cancel button. */
export function BusyBar({ busy }: { busy: LongCall['busy'] }) {
  if (!busy) return null;
  return (
    <>
      <ProgressBar fraction={busy.progress?.fraction ?? null} label={`${busy.what}: ${progressText(busy.progress)}`} />
      <button type="button" onClick={busy.cancel}>
        Cancel
      </button>
    </>
  );
}
