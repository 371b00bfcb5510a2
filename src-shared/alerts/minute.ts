import { realMinutesBetween } from '../station/clock';
import { type LevelBands, levelBands } from '../station/levelBands';
import { isPeakHour, type StationModel } from '../station/model';
import { unitFactor } from '../station/units';
import { type StationWords, stationWords } from '../station/words';
import { DAY_MS, MINUTE_MS } from '../time';
import { EfficiencyFeed, type EfficiencyFeedSnapshot } from './efficiencyFeed';

/**
 * One row of station readings (a minute, or a sample of a coarser log), each in one unit: flows in
 * m³/h, power in kW, the level in its own unit, the day total in m³. Null is a missing value.
 */
export interface MinuteReading {
  /** Naive wall-clock time in ms (see src-shared/time.ts). */
  time: number;
  flow: number | null;
  dayTotal: number | null;
  level: number | null;
  inflow: number | null;
  on: Array<boolean | null>;
  kw: Array<number | null>;
  pumpFlow: Array<number | null>;
  /**
   * The run signal's own value (a 0/1 state, or the speed, power or flow a threshold reads), for
   * the share of a coarse row a pump ran; without it a row runs all or nothing (`on`).
   */
  runValue?: Array<number | null>;
}

/** What the rules read at one row: the reading plus what the engine derives and remembers. */
export interface MinuteContext {
  r: MinuteReading;
  station: StationModel;
  words: StationWords;
  /** The level's physical range, operating band and alarm limits (null without a level). */
  bands: LevelBands | null;
  hour: number;
  isPeak: boolean;
  pumpsOn: number;
  /** Pumps commanded ON that draw power, and those commanded ON that draw none (tripped). */
  pumpsDrawing: number;
  pumpsTripped: number;
  /** Sum of the pumps' power (kW); null when no pump's power is known this row. */
  totalKw: number | null;
  /** The level in % of its range (null: missing); for a lift station 100 % is the top of the wet well. */
  levelPct: number | null;
  /**
   * How far the level is from the end that fails the service, in %: the tank's level for a booster
   * station (empty fails), the room left in the wet well for a lift station (full overflows).
   */
  reservePct: number | null;
  /** Level change since the previous row, and per minute; null across a gap. */
  hltDiff: number | null;
  levelRate: number | null;
  /** Level change per minute in the direction the pumps move it (up for booster, down for lift). */
  pumpedRate: number | null;
  flowDiff: number | null;
  /** Minutes since the previous row, and those beyond the logging interval (a gap). */
  stepMinutes: number;
  gapMinutes: number;
  /** Minutes this row stands for (its step, at most the logging interval). */
  weightMinutes: number;
  /**
   * Per pump, the share of the row it ran (0..1): 1 or 0 on minute data; on a coarse log of
   * averages a row in which a pump started or stopped shows part of its speed and power (a partial
   * run, no contradiction). And the same of the row before (null across a gap).
   */
  runShare: number[];
  prevRunShare: ReadonlyArray<number | null>;
  /** Flow expected from the pumps now running (learned per pump count); null until learned. */
  expectedFlow: number | null;
  expectedFlowSd: number | null;
  /** Minutes each pump has been running in its current run (0 when off). */
  runMinutes: number[];
  /** Starts of each pump in the last 60 minutes, and the mean length of its runs that ended then. */
  startsLastHour: number[];
  meanRunLastHour: Array<number | null>;
  /** Minutes a signal has not changed (exactly), and whether any run state changed meanwhile. */
  flowFrozenMinutes: number;
  levelFrozenMinutes: number;
  dayTotalFrozenMinutes: number;
  onOffChangedWhileFlowFrozen: boolean;
  onOffChangedWhileLevelFrozen: boolean;
  /** kW of each pump the row before (contiguous), for A-04. */
  prevKw: ReadonlyArray<number | null>;
  prevOn: ReadonlyArray<boolean | null>;
  energyTodayKwh: number;
  /** Mean flow of the last 24 h against the 24 h before that, when both are complete enough. */
  flow24h: number | null;
  flowPrev24h: number | null;
  kw24h: number | null;
  kwPrev24h: number | null;
  /**
   * Per pump: the 7-day slope of daily m³/kWh, and the last complete day's m³/kWh against the pump's
   * own reference: its best 7 days in the last 90 (not a mean that falls with it as it wears).
   */
  efficiencySlope7d: Array<number | null>;
  efficiencyRatio: Array<number | null>;
  /** Whether the station drew power before (A-05: electricity seen before). */
  kwSeenBefore: boolean;
  /** Per pump, its rated power (null: unknown). */
  ratedKw: Array<number | null>;
  /** The flow meter's range in m³/h (null: unknown). */
  flowMax: number | null;
  /** Level change over the last 10 and 30 minutes (null when those rows are missing). */
  levelChange10: number | null;
  levelChange30: number | null;
  /** The same in the direction the pumps move the level. */
  pumpedChange10: number | null;
  pumpedChange30: number | null;
  /** Minutes the station has run at least min(3, pumps) pumps without a break. */
  minutesAtThreePlus: number;
  /** When an outage began: several pumps (or the last one, reserve under 40 %) lost power together. */
  outageSince: number | null;
  /** When the last outage ended (power came back), for A-03. */
  outageEndedAt: number | null;
}

/** The tracker's saved state: an explicit type, so a new field is saved on purpose or not at all. */
export const TRACKER_SNAPSHOT_VERSION = 2;
export interface TrackerSnapshot {
  version: number;
  prev: MinuteReading | null;
  runStart: Array<number | null>;
  starts: number[][];
  runsEnded: Array<Array<{ end: number; length: number }>>;
  flowSince: number;
  levelSince: number;
  dayTotalSince: number;
  lastOnOffChange: number;
  energyDay: number;
  energy: number;
  hourly: Array<{ hour: number; flow: number; kw: number; n: number }>;
  learned: Array<[number, { mean: number; variance: number; n: number }]>;
  kwSeen: boolean;
  spansHour: number;
  spans: { last24: { flow: number; kw: number } | null; prev24: { flow: number; kw: number } | null };
  levels: Array<{ time: number; level: number }>;
  outageSince: number | null;
  outageEndedAt: number | null;
  fullRun: Array<number | null>;
  prevShares: number[] | null;
  prevPrevShares: number[] | null;
  threePlusSince: number | null;
  efficiency: EfficiencyFeedSnapshot;
}

/**
 * Turns a stream of readings into rule contexts. Keeps only bounded state (the last hours of a few
 * signals, 90 days of daily efficiency), so the edge runner can run it for years. Rows may come a
 * minute or a logging interval apart: a row stands for up to `interval_min` minutes.
 */
export class MinuteTracker {
  private prev: MinuteReading | null = null;
  private runStart: Array<number | null>;
  private starts: number[][];
  private runsEnded: Array<Array<{ end: number; length: number }>>;
  private flowSince = 0;
  private levelSince = 0;
  private dayTotalSince = 0;
  private lastOnOffChange = -Infinity;
  private energyDay = -1;
  private energy = 0;
  private hourly: Array<{ hour: number; flow: number; kw: number; n: number }> = [];
  private learned = new Map<number, { mean: number; variance: number; n: number }>();
  private kwSeen = false;
  private spansHour = -1;
  private spans: { last24: { flow: number; kw: number } | null; prev24: { flow: number; kw: number } | null } = {
    last24: null,
    prev24: null,
  };
  private levels: Array<{ time: number; level: number }> = [];
  private outageSince: number | null = null;
  private outageEndedAt: number | null = null;
  /** Per pump, its run signal's value over a whole running row (learned), and each pump's share of the row before. */
  private fullRun: Array<number | null>;
  private prevShares: number[] | null = null;
  private prevPrevShares: number[] | null = null;
  private threePlusSince: number | null = null;
  // Per-row arrays that only change once a day (or never): built when they change, not each row.
  private readonly ratedKw: Array<number | null>;
  private readonly flowMax: number | null;
  private readonly words: StationWords;
  private readonly bands: LevelBands | null;
  private readonly pumps: number;
  private readonly interval: number;
  private readonly noPumpValues: null[];
  /** Each pump's flow per kWh at like head, from the one estimator (E-05, G-03; pump_health stores it). */
  readonly efficiency: EfficiencyFeed;

  constructor(private readonly station: StationModel) {
    this.pumps = station.pumps.length;
    this.interval = Math.max(1, station.interval_min);
    this.ratedKw = station.pumps.map((p) => p.rated_kw ?? null);
    const flow = station.flow;
    this.flowMax = flow?.max === undefined ? null : flow.max * (unitFactor('flow', flow.unit) ?? 1);
    this.words = stationWords(station);
    this.bands = levelBands(station);
    this.noPumpValues = Object.freeze(station.pumps.map(() => null)) as null[];
    this.runStart = station.pumps.map(() => null);
    this.starts = station.pumps.map(() => []);
    this.runsEnded = station.pumps.map(() => []);
    this.fullRun = station.pumps.map(() => null);
    this.efficiency = new EfficiencyFeed(station);
  }

  /** The efficiency estimates of the day under way, as if it ended now. */
  provisionalEfficiency() {
    return this.efficiency.provisional(this.fullRun);
  }

  /** Everything the tracker remembers, as plain JSON (for an engine that resumes in a new process). */
  snapshot(): TrackerSnapshot {
    return structuredClone({
      version: TRACKER_SNAPSHOT_VERSION,
      prev: this.prev,
      runStart: this.runStart,
      starts: this.starts,
      runsEnded: this.runsEnded,
      flowSince: this.flowSince,
      levelSince: this.levelSince,
      dayTotalSince: this.dayTotalSince,
      lastOnOffChange: this.lastOnOffChange,
      energyDay: this.energyDay,
      energy: this.energy,
      hourly: this.hourly,
      learned: [...this.learned],
      kwSeen: this.kwSeen,
      spansHour: this.spansHour,
      spans: this.spans,
      levels: this.levels,
      outageSince: this.outageSince,
      outageEndedAt: this.outageEndedAt,
      fullRun: this.fullRun,
      prevShares: this.prevShares,
      prevPrevShares: this.prevPrevShares,
      threePlusSince: this.threePlusSince,
      efficiency: this.efficiency.snapshot(),
    });
  }

  restore(snapshot: TrackerSnapshot): void {
    if (snapshot.version !== TRACKER_SNAPSHOT_VERSION)
      throw new Error(`unknown minute tracker snapshot version: ${snapshot.version}`);
    const s = structuredClone(snapshot);
    this.prev = s.prev;
    this.runStart = s.runStart;
    this.starts = s.starts;
    this.runsEnded = s.runsEnded;
    this.flowSince = s.flowSince;
    this.levelSince = s.levelSince;
    this.dayTotalSince = s.dayTotalSince;
    this.lastOnOffChange = s.lastOnOffChange;
    this.energyDay = s.energyDay;
    this.energy = s.energy;
    this.hourly = s.hourly;
    this.learned = new Map(s.learned);
    this.kwSeen = s.kwSeen;
    this.spansHour = s.spansHour;
    this.spans = s.spans;
    this.levels = s.levels;
    this.outageSince = s.outageSince;
    this.outageEndedAt = s.outageEndedAt;
    this.fullRun = s.fullRun;
    this.prevShares = s.prevShares;
    this.prevPrevShares = s.prevPrevShares;
    this.threePlusSince = s.threePlusSince;
    this.efficiency.restore(s.efficiency);
  }

  next(r: MinuteReading): MinuteContext {
    const station = this.station;
    const prev = this.prev;
    const { stepMinutes, gapMinutes, contiguous, weight } = this.step(r);
    const hour = Math.floor(r.time / 3_600_000) % 24; // naive times: the UTC fields are the wall clock
    const day = Math.floor(r.time / DAY_MS);
    const { on, pumpsOn, pumpsDrawing, pumpsTripped, totalKw } = this.pumpStates(r);
    const shares = this.runShares(r, on, contiguous);
    const prevShares = contiguous ? this.prevShares : null;
    const prevPrevShares = contiguous ? this.prevPrevShares : null;
    const runs = this.trackRuns(r, on, stepMinutes);
    const frozen = this.trackFrozen(r, on);
    this.trackEnergy(day, totalKw, weight);
    const expected = this.expectedFlow(r, pumpsOn);
    const { last24, prev24 } = this.hourlySpans(r, totalKw);
    this.efficiency.push(r, on, weight, contiguous, this.fullRun);
    const level = this.levelFigures(r, contiguous, stepMinutes);
    const drawing = totalKw !== null && totalKw > 0;
    this.trackOutage(r, shares, prevShares, prevPrevShares, pumpsOn, totalKw, level);
    if (pumpsOn >= Math.min(3, this.pumps)) this.threePlusSince ??= r.time;
    else this.threePlusSince = null;

    const context: MinuteContext = {
      r,
      station,
      words: this.words,
      bands: this.bands,
      hour,
      isPeak: isPeakHour(station, hour),
      pumpsOn,
      pumpsDrawing,
      pumpsTripped,
      totalKw,
      levelPct: level.levelPct,
      reservePct: level.reservePct,
      hltDiff: level.hltDiff,
      levelRate: level.levelRate,
      pumpedRate: level.levelRate === null ? null : level.toward * level.levelRate,
      flowDiff: contiguous && r.flow !== null && prev?.flow != null ? r.flow - prev.flow : null,
      stepMinutes,
      gapMinutes,
      weightMinutes: weight,
      runShare: shares,
      prevRunShare: prevShares ?? this.noPumpValues,
      expectedFlow: expected.mean,
      expectedFlowSd: expected.sd,
      // Named, not spread: a spread after the first field copies property by property (slow).
      runMinutes: runs.runMinutes,
      startsLastHour: runs.startsLastHour,
      meanRunLastHour: runs.meanRunLastHour,
      flowFrozenMinutes: frozen.flowFrozenMinutes,
      levelFrozenMinutes: frozen.levelFrozenMinutes,
      dayTotalFrozenMinutes: (r.time - this.dayTotalSince) / MINUTE_MS,
      onOffChangedWhileFlowFrozen: this.lastOnOffChange > this.flowSince,
      onOffChangedWhileLevelFrozen: this.lastOnOffChange > this.levelSince,
      prevKw: contiguous && prev ? prev.kw : this.noPumpValues,
      prevOn: contiguous && prev ? prev.on : this.noPumpValues,
      energyTodayKwh: this.energy,
      flow24h: last24?.flow ?? null,
      flowPrev24h: prev24?.flow ?? null,
      kw24h: last24?.kw ?? null,
      kwPrev24h: prev24?.kw ?? null,
      efficiencySlope7d: this.efficiency.slopes,
      efficiencyRatio: this.efficiency.ratios,
      kwSeenBefore: this.kwSeen,
      ratedKw: this.ratedKw,
      flowMax: this.flowMax,
      levelChange10: level.change10,
      levelChange30: level.change30,
      pumpedChange10: level.change10 === null ? null : level.toward * level.change10,
      pumpedChange30: level.change30 === null ? null : level.toward * level.change30,
      minutesAtThreePlus: this.threePlusSince === null ? 0 : (r.time - this.threePlusSince) / MINUTE_MS,
      outageSince: this.outageSince,
      outageEndedAt: this.outageEndedAt,
    };
    if (drawing) this.kwSeen = true;
    this.prev = r;
    this.prevPrevShares = prevShares;
    this.prevShares = shares;
    return context;
  }

  /** Minutes since the previous row, the gap beyond the logging interval, and what the row weighs. */
  private step(r: MinuteReading) {
    const prev = this.prev;
    const interval = this.interval;
    let stepMinutes = prev ? Math.round((r.time - prev.time) / MINUTE_MS) : interval;
    // The hour a clock skips in spring is no gap when the station's time zone is known.
    if (prev && stepMinutes > interval && this.station.timezone)
      stepMinutes = realMinutesBetween(this.station.timezone, prev.time, r.time);
    const gapMinutes = Math.max(0, stepMinutes - interval);
    return {
      stepMinutes,
      gapMinutes,
      contiguous: prev !== null && stepMinutes > 0 && gapMinutes === 0,
      weight: Math.max(0, Math.min(stepMinutes, interval)),
    };
  }

  /** Which pumps are commanded on, how many draw power or none (tripped), and the station's kW. */
  private pumpStates(r: MinuteReading) {
    const pumps = this.pumps;
    const on: boolean[] = new Array(pumps);
    let pumpsOn = 0;
    let pumpsDrawing = 0;
    let pumpsTripped = 0;
    let totalKw: number | null = null;
    for (let k = 0; k < pumps; k++) {
      on[k] = r.on[k] === true;
      const kw = r.kw[k];
      if (kw !== null) totalKw = (totalKw ?? 0) + kw;
      if (!on[k]) continue;
      pumpsOn++;
      if (kw !== null && kw > 0) pumpsDrawing++;
      else if (kw === 0) pumpsTripped++;
    }
    return { on, pumpsOn, pumpsDrawing, pumpsTripped, totalKw };
  }

  /**
   * The share of the row each pump ran. On minute data a row runs all or nothing. On a coarse log
   * of averages a pump that started or stopped within the row shows part of its running value: a
   * 0/1 state averages to its share, a speed or power reads against its value over a whole running
   * row (learned from rows running with the row before, ignoring those well under it: partial).
   */
  private runShares(r: MinuteReading, on: boolean[], contiguous: boolean): number[] {
    const shares: number[] = new Array(this.pumps);
    for (let k = 0; k < this.pumps; k++) {
      const v = r.runValue?.[k] ?? null;
      const run = this.station.pumps[k].run;
      const full = this.fullRun[k];
      // A speed or power run signal's whole-row value: learned from rows running with the row before.
      // Up fast, down slowly: a VFD first seen running slowly must not make its slow rows read as full speed for hours.
      if (v !== null && run.above !== undefined && on[k] && contiguous && (this.prevShares?.[k] ?? 0) > 0)
        if (full === null || v >= 0.85 * full)
          this.fullRun[k] = full === null ? v : full + (v > full ? 0.5 : 0.02) * (v - full);
      if (this.interval <= 1 || v === null) shares[k] = on[k] ? 1 : 0;
      else if (run.above === undefined) shares[k] = Math.min(1, Math.max(0, v));
      else if (v <= 0) shares[k] = 0;
      else {
        // A pump not yet seen running a whole row reads against its sister pumps' (a station's pumps are alike).
        const against = full ?? this.sisterFullRun(k);
        shares[k] = against === null ? (on[k] ? 1 : 0.5) : Math.min(1, v / against);
      }
    }
    return shares;
  }

  /** The mean whole-row run value of the other pumps whose run signal has the same unit, null when none is known. */
  private sisterFullRun(k: number): number | null {
    const unit = this.station.pumps[k].run.tag === this.station.pumps[k].hz?.tag ? 'hz' : 'other';
    const known = this.fullRun.filter(
      (f, j): f is number =>
        f !== null && (this.station.pumps[j].run.tag === this.station.pumps[j].hz?.tag ? 'hz' : 'other') === unit,
    );
    return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
  }

  /** Runs and starts (a gap over 5 minutes, or two logging intervals, ends a run, as in pump_sessions). */
  private trackRuns(r: MinuteReading, on: boolean[], stepMinutes: number) {
    const prev = this.prev;
    const interval = this.interval;
    const runBreak = Math.max(5, 2 * interval);
    const runMinutes: number[] = new Array(this.pumps);
    const startsLastHour: number[] = new Array(this.pumps);
    const meanRunLastHour: Array<number | null> = new Array(this.pumps);
    for (let k = 0; k < this.pumps; k++) {
      const wasOn = prev !== null && stepMinutes <= runBreak && prev.on[k] === true;
      const starts = this.starts[k];
      const runsEnded = this.runsEnded[k];
      if (on[k] && !wasOn) {
        this.runStart[k] = r.time;
        starts.push(r.time);
      }
      const started = this.runStart[k];
      if (!on[k] && started !== null) {
        runsEnded.push({ end: r.time, length: (r.time - started) / MINUTE_MS });
        this.runStart[k] = null;
      }
      while (starts.length && starts[0] <= r.time - 60 * MINUTE_MS) starts.shift();
      while (runsEnded.length && runsEnded[0].end <= r.time - 60 * MINUTE_MS) runsEnded.shift();
      const running = this.runStart[k];
      runMinutes[k] = on[k] && running !== null ? (r.time - running) / MINUTE_MS + interval : 0;
      startsLastHour[k] = starts.length;
      let total = 0;
      for (const run of runsEnded) total += run.length;
      meanRunLastHour[k] = runsEnded.length ? total / runsEnded.length : null;
    }
    return { runMinutes, startsLastHour, meanRunLastHour };
  }

  /** Frozen signals: minutes without an exact change, and run-state changes meanwhile. */
  private trackFrozen(r: MinuteReading, on: boolean[]) {
    const prev = this.prev;
    let onOffChanged = false;
    for (let k = 0; prev !== null && k < this.pumps; k++) if ((prev.on[k] === true) !== on[k]) onOffChanged = true;
    if (onOffChanged) this.lastOnOffChange = r.time;
    if (!prev || r.flow !== prev.flow) this.flowSince = r.time;
    if (!prev || r.level !== prev.level) this.levelSince = r.time;
    if (!prev || r.dayTotal !== prev.dayTotal) this.dayTotalSince = r.time;
    return {
      flowFrozenMinutes: (r.time - this.flowSince) / MINUTE_MS,
      levelFrozenMinutes: (r.time - this.levelSince) / MINUTE_MS,
    };
  }

  /** Energy today: kW over the minutes the row stands for. */
  private trackEnergy(day: number, totalKw: number | null, weight: number): void {
    if (day !== this.energyDay) {
      this.energyDay = day;
      this.energy = 0;
    }
    this.energy += ((totalKw ?? 0) * weight) / 60;
  }

  /**
   * Expected flow for this number of running pumps: a running mean and variance per count,
   * learned only from rows that look normal, so a fault does not teach itself.
   */
  private expectedFlow(r: MinuteReading, pumpsOn: number): { mean: number | null; sd: number | null } {
    let mean: number | null = null;
    let sd: number | null = null;
    const model = this.learned.get(pumpsOn);
    if (model && model.n >= 30) {
      mean = model.mean;
      sd = Math.sqrt(model.variance);
    }
    if (r.flow !== null && pumpsOn > 0) {
      const plausible = mean === null || Math.abs(r.flow - mean) <= Math.max(4 * (sd ?? 0), 0.25 * mean);
      if (plausible) {
        const m = model ?? { mean: r.flow, variance: 0, n: 0 };
        const alpha = Math.max(1 / (m.n + 1), this.interval / 1440);
        const delta = r.flow - m.mean;
        m.mean += alpha * delta;
        m.variance = (1 - alpha) * (m.variance + alpha * delta * delta);
        m.n += 1;
        this.learned.set(pumpsOn, m);
      }
    }
    return { mean, sd };
  }

  /** Hourly means over the last 48 h (C-04), compared over complete hours: they change once an hour. */
  private hourlySpans(r: MinuteReading, totalKw: number | null) {
    const hourIndex = Math.floor(r.time / 3_600_000);
    let bucket = this.hourly.at(-1);
    if (!bucket || bucket.hour !== hourIndex) {
      bucket = { hour: hourIndex, flow: 0, kw: 0, n: 0 };
      this.hourly.push(bucket);
    }
    if (r.flow !== null && totalKw !== null) {
      bucket.flow += r.flow;
      bucket.kw += totalKw;
      bucket.n++;
    }
    if (this.hourly[0].hour <= hourIndex - 49) this.hourly = this.hourly.filter((h) => h.hour > hourIndex - 49);
    if (this.spansHour !== hourIndex) {
      this.spansHour = hourIndex;
      const span = (from: number, to: number) => {
        const hours = this.hourly.filter(
          (h) => h.hour > hourIndex - 1 - to && h.hour <= hourIndex - 1 - from && h.n > 0,
        );
        if (hours.length < 20) return null;
        const n = hours.reduce((a, h) => a + h.n, 0);
        return { flow: hours.reduce((a, h) => a + h.flow, 0) / n, kw: hours.reduce((a, h) => a + h.kw, 0) / n };
      };
      this.spans = { last24: span(0, 24), prev24: span(24, 48) };
    }
    return this.spans;
  }

  /** The level in % of its range, the reserve (from the failing end), and its changes. */
  private levelFigures(r: MinuteReading, contiguous: boolean, stepMinutes: number) {
    const prev = this.prev;
    const interval = this.interval;
    if (r.level !== null) this.levels.push({ time: r.time, level: r.level });
    const keep = Math.max(30, interval) * MINUTE_MS;
    while (this.levels.length && this.levels[0].time < r.time - keep) this.levels.shift();
    const levelAgo = (minutes: number) => {
      // A coarse log has no row 10 minutes back: the change is over one interval then.
      const at = r.time - Math.max(minutes, interval) * MINUTE_MS;
      const then = this.levels.find((x) => x.time === at);
      return then && r.level !== null ? r.level - then.level : null;
    };
    const level = this.station.level;
    const range = level ? level.max - level.min : 0;
    const levelPct = r.level === null || !level || range <= 0 ? null : ((r.level - level.min) / range) * 100;
    const lift = this.station.kind === 'lift';
    const hltDiff = contiguous && r.level !== null && prev?.level != null ? r.level - prev.level : null;
    return {
      levelPct,
      reservePct: levelPct === null ? null : lift ? 100 - levelPct : levelPct,
      hltDiff,
      levelRate: hltDiff === null ? null : hltDiff / Math.max(1, stepMinutes),
      change10: levelAgo(10),
      change30: levelAgo(30),
      /** The direction the pumps move the level: up in a tank, down in a wet well. */
      toward: lift ? -1 : 1,
    };
  }

  /**
   * Outage: pumps lose their run state and power together (a PLC stops them one at a time). On a
   * coarse log "together" is in the same minute: the pumps that stopped and had run the whole row
   * before ran the same share of their last row (a planned stop, one every few minutes, leaves
   * those shares apart; a pump that started within the row ran less of it). The last pump
   * stopping alone is an outage only where the station needs it: a tank under 40 % reserve, a wet
   * well above its operating band (a wet well emptied to its stop level stops its last pump).
   */
  private trackOutage(
    r: MinuteReading,
    shares: number[],
    prevShares: number[] | null,
    prevPrevShares: number[] | null,
    pumpsOn: number,
    totalKw: number | null,
    level: { levelPct: number | null; reservePct: number | null },
  ): void {
    const stopped: number[] = [];
    const comparable: number[] = [];
    for (let k = 0; prevShares && k < this.pumps; k++)
      if (prevShares[k] > 0 && shares[k] === 0) {
        stopped.push(prevShares[k]);
        if ((prevPrevShares?.[k] ?? 0) >= 0.95) comparable.push(prevShares[k]);
      }
    const compared = comparable.length >= 2 ? comparable : stopped;
    const together = stopped.length > 0 && Math.max(...compared) - Math.min(...compared) <= 1.5 / this.interval;
    const bands = this.bands;
    const needed =
      this.station.kind === 'lift' && bands
        ? level.levelPct !== null && level.levelPct > bands.highPct
        : level.reservePct !== null && level.reservePct < 40;
    if (this.outageSince === null && pumpsOn === 0 && totalKw === 0 && together && (stopped.length >= 2 || needed)) {
      this.outageSince = r.time;
    } else if (this.outageSince !== null && totalKw !== null && totalKw > 0) {
      this.outageSince = null;
      this.outageEndedAt = r.time;
    }
  }
}
