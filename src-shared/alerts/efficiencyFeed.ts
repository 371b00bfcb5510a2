import {
  type EfficiencyRow,
  type EfficiencySnapshot,
  type PumpEfficiencyDay,
  PumpEfficiencyEstimator,
} from '../performance/pumpEfficiency';
import { levelBands } from '../station/levelBands';
import type { StationModel } from '../station/model';
import { DAY_MS } from '../time';
import type { MinuteReading } from './minute';

// The alert engine's readings into the one estimator of each pump's flow per kWh
// (performance/pumpEfficiency.ts), a row late: a coarse row's share of running is read against
// the rows on both sides of it. A row inside a run ran all of it, at the speed it shows; a row at
// a run's start or stop ran part of it at its neighbour's speed; a lone row, part of it at full
// speed. On minute data a row runs all or nothing. Days are closed as the rows move past them.

interface PendingRow {
  day: number;
  /** Per pump: the run signal's value (or 1/0 from the run state), and whether it runs. */
  value: number[];
  on: boolean[];
  /** Values of the row before, when contiguous. */
  before: number[] | null;
  weight: number;
  flow: number | null;
  pumpFlow: Array<number | null>;
  kw: Array<number | null>;
  levelDev: number | null;
}

/** The efficiency feed's state as JSON (part of the engine's snapshot). */
export interface EfficiencyFeedSnapshot {
  pending: PendingRow | null;
  estimator: EfficiencySnapshot;
  slopes: Array<number | null>;
  ratios: Array<number | null>;
}

export class EfficiencyFeed {
  private pending: PendingRow | null = null;
  private readonly estimator: PumpEfficiencyEstimator;
  /** The reference level (the middle of the operating band); null without a level. */
  private readonly refLevel: number | null;
  /** Per pump: whether its run signal is its speed (a VFD's frequency), for the speed term. */
  private readonly speedRun: boolean[];
  private readonly coarse: boolean;
  private outbox: PumpEfficiencyDay[] = [];
  /** Per pump, the latest estimate's weekly slope and ratio to its reference (what E-05 and G-03 read). */
  slopes: Array<number | null>;
  ratios: Array<number | null>;

  constructor(private readonly station: StationModel) {
    const bands = levelBands(station);
    this.refLevel = bands ? (bands.low + bands.high) / 2 : null;
    this.speedRun = station.pumps.map((p) => p.hz !== undefined && p.run.tag === p.hz.tag);
    this.coarse = station.interval_min > 1;
    this.estimator = new PumpEfficiencyEstimator({
      pumps: station.pumps.length,
      ownMeter: station.pumps.map((p) => p.flow !== undefined),
    });
    this.slopes = station.pumps.map(() => null);
    this.ratios = station.pumps.map(() => null);
  }

  /** Takes a row; `fullRun` is each pump's run value over a whole running row (learned by the tracker). */
  push(r: MinuteReading, on: boolean[], weight: number, contiguous: boolean, fullRun: Array<number | null>): void {
    const value = on.map((o, k) => r.runValue?.[k] ?? (o ? 1 : 0));
    const day = Math.floor(r.time / DAY_MS);
    const previous = this.pending;
    if (previous) {
      this.estimator.add(previous.day, this.finish(previous, contiguous ? value : null, fullRun));
      if (previous.day !== day) this.closeDay(previous.day);
    }
    const level = r.level;
    this.pending = {
      day,
      value,
      on,
      before: contiguous && previous ? previous.value : null,
      weight,
      flow: r.flow,
      pumpFlow: r.pumpFlow,
      kw: r.kw,
      levelDev: this.refLevel === null ? 0 : level === null ? null : level - this.refLevel,
    };
  }

  private closeDay(day: number): void {
    for (const estimate of this.estimator.closeDay(day)) {
      this.outbox.push(estimate);
      this.slopes[estimate.pump] = estimate.slope;
      this.ratios[estimate.pump] = estimate.ratio;
    }
  }

  /** The pending row as the estimator reads it, now that the row after it (`after`, null: none contiguous) is known. */
  private finish(row: PendingRow, after: number[] | null, fullRun: Array<number | null>): EfficiencyRow {
    const shares: number[] = [];
    const speedDev: number[] = [];
    this.station.pumps.forEach((pump, k) => {
      const v = row.value[k];
      const full = fullRun[k];
      let share: number;
      let running = v;
      if (!this.coarse) share = row.on[k] ? 1 : 0;
      else if (pump.run.above === undefined) share = Math.min(1, Math.max(0, v));
      else if (!(v > 0)) share = 0;
      else {
        const before = row.before?.[k] ?? 0;
        const next = after?.[k] ?? 0;
        const neighbour = before > 0 && next > 0 ? null : before > 0 ? before : next > 0 ? next : full;
        share = neighbour === null ? 1 : Math.min(1, v / neighbour);
        if (neighbour !== null && share < 1) running = neighbour;
      }
      shares.push(share);
      speedDev.push(
        this.speedRun[k] && full !== null && share > 0 ? Math.min(0.2, Math.max(-0.6, running / full - 1)) : 0,
      );
    });
    return {
      weight: row.weight,
      shares,
      speedDev,
      flow: row.flow,
      pumpFlow: row.pumpFlow,
      kw: row.kw,
      levelDev: row.levelDev,
    };
  }

  /** The estimates of days closed since the last drain. */
  drain(): PumpEfficiencyDay[] {
    const out = this.outbox;
    this.outbox = [];
    return out;
  }

  /** The estimates the current day would have if it ended now (its last row read without the next), for a run that ends here. */
  provisional(fullRun: Array<number | null>): PumpEfficiencyDay[] {
    const pending = this.pending;
    if (!pending) return [];
    const copy = new PumpEfficiencyEstimator({
      pumps: this.station.pumps.length,
      ownMeter: this.station.pumps.map((p) => p.flow !== undefined),
    });
    copy.restore(this.estimator.snapshot());
    copy.add(pending.day, this.finish(pending, null, fullRun));
    return copy.closeDay(pending.day);
  }

  snapshot(): EfficiencyFeedSnapshot {
    return {
      pending: structuredClone(this.pending),
      estimator: this.estimator.snapshot(),
      slopes: [...this.slopes],
      ratios: [...this.ratios],
    };
  }

  restore(snapshot: EfficiencyFeedSnapshot): void {
    this.pending = structuredClone(snapshot.pending);
    this.estimator.restore(snapshot.estimator);
    this.slopes = [...snapshot.slopes];
    this.ratios = [...snapshot.ratios];
  }
}
