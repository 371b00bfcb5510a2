import type { PumpEfficiencyDay } from '../performance/pumpEfficiency';
import type { StationModel } from '../station/model';
import { MINUTE_MS } from '../time';
import { type AlertRule, applicability, evaluationOrder, RULES, type RuleGroup, type Severity } from './catalog';
import { type MinuteContext, type MinuteReading, MinuteTracker, type TrackerSnapshot } from './minute';

/** One alert episode: raised once, cleared once (alerts_log, seed 002 §7.6). */
export interface AlertRecord {
  rule: string;
  group: RuleGroup;
  severity: Severity;
  pump: string | null;
  /** The minute the alert was raised (after its on-delay); for a data gap, the first missing minute. */
  timestamp: number;
  resolvedAt: number | null;
  durationMin: number | null;
  message: string;
  valueAtTrigger: number | null;
}

export type AlertEvent = { type: 'raise'; alert: AlertRecord } | { type: 'clear'; alert: AlertRecord };

interface RuleState {
  pendingSince: number | null;
  clearSince: number | null;
  active: AlertRecord | null;
}

/** The engine's saved state's shape: a state of another version is not resumed from (the engine starts over). */
export const ENGINE_SNAPSHOT_VERSION = 2;

/** Whether a saved engine state is of this engine's shape. */
export const resumable = (snapshot: unknown) =>
  typeof snapshot === 'object' &&
  snapshot !== null &&
  (snapshot as { version?: unknown }).version === ENGINE_SNAPSHOT_VERSION;

const key = (code: string, pump: number | null) => (pump === null ? code : `${code}|${pump}`);

/**
 * One rule for one pump (or the station): what the engine reads of the rule each row, copied into
 * one shape. The rules are object literals of many shapes, and reading their fields in the loop
 * over a year's rows cost a quarter of the engine's time.
 */
class Slot {
  readonly id: string;
  readonly k: number;
  readonly test: AlertRule['test'];
  readonly clearTest: AlertRule['clearTest'] | null;
  readonly event: boolean;
  readonly gapEvent: boolean;
  readonly onDelayMin: number;
  readonly offDelayMin: number;
  state: RuleState = { pendingSince: null, clearSince: null, active: null };

  constructor(
    readonly rule: AlertRule,
    readonly pump: number | null,
  ) {
    this.id = key(rule.code, pump);
    this.k = pump ?? 0;
    this.test = rule.test;
    this.clearTest = rule.clearTest ?? null;
    this.event = rule.event === true;
    this.gapEvent = rule.group === 'F';
    this.onDelayMin = rule.onDelayMin;
    this.offDelayMin = rule.offDelayMin;
  }
}

/**
 * The alert engine: readings in, raise and clear events out. Each rule and pump has a small state
 * machine: the test must hold for the rule's on-delay before it raises (one alert per episode),
 * and its clear condition for the off-delay before it clears (hysteresis). Only the rules the
 * station has the roles for are evaluated, for the pumps that have them. A row stands for its
 * logging interval: on a 15-minute log a condition seen at one row has held 15 minutes. The same
 * code runs over a year of history on the console and live, row by row, on the edge.
 */
export class AlertEngine {
  private readonly tracker: MinuteTracker;
  /** One slot per rule and pump (or per rule for station rules), in evaluation order. */
  private readonly slots: Slot[];
  /** Rule code -> its states by pump (index 0 for a station rule): the lookup derived rules make. */
  private byCode = new Map<string, RuleState[]>();
  private lastTime: number | null = null;
  /** A row stands for this many minutes: an on-delay counts it. */
  private readonly heldExtra: number;

  constructor(station: StationModel, rules: AlertRule[] = RULES) {
    this.tracker = new MinuteTracker(station);
    this.heldExtra = Math.max(0, station.interval_min - 1) * MINUTE_MS;
    this.slots = evaluationOrder(rules).flatMap((rule) => {
      const fit = applicability(rule, station);
      if (!fit.applicable) return [];
      return (rule.scope === 'pump' ? fit.pumps : [null]).map((pump) => new Slot(rule, pump));
    });
    this.indexStates();
  }

  private indexStates(): void {
    this.byCode = new Map();
    for (const slot of this.slots) {
      const list = this.byCode.get(slot.rule.code) ?? [];
      list[slot.pump ?? 0] = slot.state;
      this.byCode.set(slot.rule.code, list);
    }
  }

  /** Whether a rule (for a pump) is active at this row, for the rules that depend on it (a rule not evaluated is not). */
  private readonly isActive = (code: string, pump?: number) =>
    (this.byCode.get(code)?.[pump ?? 0]?.active ?? null) !== null;

  push(reading: MinuteReading): AlertEvent[] {
    const events: AlertEvent[] = [];
    const c = this.tracker.next(reading);
    const time = reading.time;
    const isActive = this.isActive;
    for (const slot of this.slots) {
      const k = slot.k;
      const state = slot.state;
      const holds = slot.test(c, k, isActive);
      if (slot.event) {
        if (!holds) continue;
        // A gap event spans the missing minutes; other events are instants.
        const start = slot.gapEvent && c.gapMinutes > 0 ? time - c.gapMinutes * MINUTE_MS : time;
        const alert = {
          ...newRecord(slot.rule, slot.pump, c, start),
          resolvedAt: time,
          durationMin: Math.round((time - start) / MINUTE_MS),
        };
        events.push({ type: 'raise', alert }, { type: 'clear', alert });
        continue;
      }
      if (!state.active) {
        if (!holds) {
          state.pendingSince = null;
          continue;
        }
        if (state.pendingSince === null || c.gapMinutes > 0) state.pendingSince = time;
        if ((time - state.pendingSince + this.heldExtra) / MINUTE_MS >= slot.onDelayMin) {
          state.active = newRecord(slot.rule, slot.pump, c, time);
          state.pendingSince = null;
          state.clearSince = null;
          events.push({ type: 'raise', alert: state.active });
        }
        continue;
      }
      const clearing = slot.clearTest ? slot.clearTest(c, k, isActive) : !holds;
      if (!clearing) {
        state.clearSince = null;
        continue;
      }
      state.clearSince ??= time;
      if ((time - state.clearSince) / MINUTE_MS >= slot.offDelayMin) {
        const alert = state.active;
        alert.resolvedAt = state.clearSince;
        alert.durationMin = Math.round((state.clearSince - alert.timestamp) / MINUTE_MS);
        state.active = null;
        state.clearSince = null;
        events.push({ type: 'clear', alert });
      }
    }
    this.lastTime = time;
    return events;
  }

  /** Each pump's flow per kWh for the days closed since the last call (the estimator of E-05, for pump_health). */
  drainEfficiency(): PumpEfficiencyDay[] {
    return this.tracker.efficiency.drain();
  }

  /** The estimates of the day under way, as if it ended at the last row read. */
  provisionalEfficiency(): PumpEfficiencyDay[] {
    return this.tracker.provisionalEfficiency();
  }

  /** Alerts raised and not yet cleared. */
  activeAlerts(): AlertRecord[] {
    return this.slots.flatMap((s) => (s.state.active ? [s.state.active] : []));
  }

  /** The whole engine state as JSON: an hourly edge run saves it and the next run resumes from it. */
  snapshot(): unknown {
    return {
      version: ENGINE_SNAPSHOT_VERSION,
      lastTime: this.lastTime,
      tracker: this.tracker.snapshot(),
      states: structuredClone(this.slots.map((s) => [s.id, s.state])),
    };
  }

  restore(snapshot: unknown): void {
    const s = structuredClone(snapshot) as {
      version: number;
      lastTime: number | null;
      tracker: TrackerSnapshot;
      states: Array<[string, RuleState]>;
    };
    if (s.version !== ENGINE_SNAPSHOT_VERSION) throw new Error(`unknown alert engine snapshot version: ${s.version}`);
    this.lastTime = s.lastTime;
    this.tracker.restore(s.tracker);
    const states = new Map(s.states);
    for (const slot of this.slots)
      slot.state = states.get(slot.id) ?? { pendingSince: null, clearSince: null, active: null };
    this.indexStates();
  }
}

function newRecord(rule: AlertRule, pump: number | null, c: MinuteContext, timestamp: number): AlertRecord {
  const k = pump ?? 0;
  const id = pump === null ? null : c.station.pumps[pump].id;
  return {
    rule: rule.code,
    group: rule.group,
    severity: rule.severity,
    pump: id,
    timestamp,
    resolvedAt: null,
    durationMin: null,
    message: rule.message(c, k, id ?? 'station'),
    valueAtTrigger: finiteOrNull(rule.value(c, k)),
  };
}

function finiteOrNull(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : value;
}

/** Batch evaluation: every alert episode over the readings, in the order raised. */
export function evaluateAlerts(readings: Iterable<MinuteReading>, station: StationModel): AlertRecord[] {
  const engine = new AlertEngine(station);
  const alerts: AlertRecord[] = [];
  for (const reading of readings)
    for (const event of engine.push(reading)) if (event.type === 'raise') alerts.push(event.alert);
  return alerts;
}
