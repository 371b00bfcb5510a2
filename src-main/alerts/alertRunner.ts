import { AlertEngine, type AlertRecord } from '../../src-shared/alerts/engine';
import type { MinuteReading } from '../../src-shared/alerts/minute';
import type { PumpEfficiencyDay } from '../../src-shared/performance/pumpEfficiency';
import type { StationModel } from '../../src-shared/station/model';

/** What one run of the engine leaves to write to alerts_log. */
export interface AlertRunResult {
  /** Episodes raised in this run, in their final state (resolved or still active). */
  raised: AlertRecord[];
  /** Episodes raised before this run (restored from the snapshot) that it resolved. */
  resolvedBefore: AlertRecord[];
  lastTime: number | null;
  /** The engine's state after the last minute, for the next run to resume from. */
  snapshot: unknown;
  /** Each pump's flow per kWh (its 7-day window) for each day the run closed, and the day under way so far. */
  efficiency: PumpEfficiencyDay[];
}

/** The engine over a run of minutes; runs on the main thread or in the alerts worker alike. */
export class AlertRunner {
  private readonly engine: AlertEngine;
  private readonly raised: AlertRecord[] = [];
  private readonly cleared: AlertRecord[] = [];
  private readonly efficiency: PumpEfficiencyDay[] = [];
  private lastTime: number | null;

  constructor(station: StationModel, saved: unknown | null, after: number | null) {
    this.engine = new AlertEngine(station);
    if (saved !== null) this.engine.restore(saved);
    this.lastTime = after;
  }

  push(reading: MinuteReading): void {
    for (const event of this.engine.push(reading))
      (event.type === 'raise' ? this.raised : this.cleared).push(event.alert);
    this.efficiency.push(...this.engine.drainEfficiency());
    this.lastTime = reading.time;
  }

  result(): AlertRunResult {
    const raised = new Set(this.raised);
    return {
      raised: this.raised,
      resolvedBefore: this.cleared.filter((a) => !raised.has(a)),
      lastTime: this.lastTime,
      snapshot: this.engine.snapshot(),
      efficiency: [...this.efficiency, ...this.engine.provisionalEfficiency()],
    };
  }
}

/**
 * Pushes readings through the runner on this thread, yielding to the event loop every few
 * milliseconds so DuckDB work running meanwhile waits for this thread at most that long.
 */
export async function feedRunner(runner: AlertRunner, readings: Iterable<MinuteReading>): Promise<void> {
  let n = 0;
  let sliceStart = performance.now();
  for (const reading of readings) {
    runner.push(reading);
    if (++n % 256 === 0 && performance.now() - sliceStart > 3) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}
