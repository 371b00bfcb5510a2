import type { StationConfig } from '../station';
import { isPeakHour, ratedKwFor } from '../station';
import { PUMPS } from '../tags';

/** One minute of raw station readings, as readings_wide or a site CSV gives them. */
export interface MinuteReading {
  /** Naive wall-clock time in ms (see src-shared/time.ts). */
  time: number;
  flow: number | null;
  dayTotal: number | null;
  level: number | null;
  on: Array<boolean | null>;
  kw: Array<number | null>;
}

/** What the rules read at one minute: the reading plus what the engine derives and remembers. */
export interface MinuteContext {
  r: MinuteReading;
  station: StationConfig;
  hour: number;
  isPeak: boolean;
  pumpsOn: number;
  /** Pumps commanded ON that draw power, and those commanded ON that draw none (tripped). */
  pumpsDrawing: number;
  pumpsTripped: number;
  totalKw: number;
  hltPct: number | null;
  /** Level change since the previous minute; null across a gap. */
  hltDiff: number | null;
  flowDiff: number | null;
  /** Minutes since the previous reading (1 when contiguous). */
  gapMinutes: number;
  /** Flow expected from the pumps now running (learned per pump count); null until learned. */
  expectedFlow: number | null;
  expectedFlowSd: number | null;
  /** Minutes each pump has been running in its current run (0 when off). */
  runMinutes: number[];
  /** Starts of each pump in the last 60 minutes, and the mean length of its runs that ended then. */
  startsLastHour: number[];
  meanRunLastHour: Array<number | null>;
  /** Minutes a signal has not changed (exactly), and whether any ONOFF changed meanwhile. */
  flowFrozenMinutes: number;
  levelFrozenMinutes: number;
  dayTotalFrozenMinutes: number;
  onOffChangedWhileFlowFrozen: boolean;
  onOffChangedWhileLevelFrozen: boolean;
  /** kW of each pump the minute before (contiguous), for A-04. */
  prevKw: Array<number | null>;
  prevOn: Array<boolean | null>;
  energyTodayKwh: number;
  /** Mean flow of the last 24 h against the 24 h before that, when both are complete enough. */
  flow24h: number | null;
  flowPrev24h: number | null;
  kw24h: number | null;
  kwPrev24h: number | null;
  /** Per pump: 7-day slope of daily m³/kWh and today's m³/kWh against its 7-day mean. */
  efficiencySlope7d: Array<number | null>;
  efficiencyRatio: Array<number | null>;
  /** Whether the minute had a kW history (A-05: electricity seen before). */
  kwSeenBefore: boolean;
  ratedKw: number[];
  /** Level change over the last 10 and 30 minutes (null when those minutes are missing). */
  levelChange10: number | null;
  levelChange30: number | null;
  /** Minutes the station has run three or more pumps without a break (0 when fewer run). */
  minutesAtThreePlus: number;
  /** When an outage began: several pumps (or the last one, tank below 40 %) lost power together. */
  outageSince: number | null;
  /** When the last outage ended (power came back), for A-03. */
  outageEndedAt: number | null;
}

const MINUTE = 60_000;
/** prevKw / prevOn across a gap (shared and never written). */
const NO_PUMP_VALUES: null[] = Object.freeze(PUMPS.map(() => null)) as null[];

/** Slope per day of daily m³/kWh over the last 7 days (5 with data at least), and the last day against the mean. */
function sevenDayEfficiency(days: DayEfficiency[]): { slope: number | null; ratio: number | null } {
  const last = days.at(-1)?.day ?? 0;
  const complete = days
    .filter((d) => d.minutes >= 30 && d.day > last - 7)
    .map((d) => ({ x: d.day, y: d.flowShare / d.kw }));
  if (complete.length < 5) return { slope: null, ratio: null };
  const mx = complete.reduce((a, p) => a + p.x, 0) / complete.length;
  const my = complete.reduce((a, p) => a + p.y, 0) / complete.length;
  const sxx = complete.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const slope = sxx > 0 ? complete.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx : null;
  return { slope, ratio: complete.at(-1)!.y / my };
}

interface DayEfficiency {
  day: number;
  flowShare: number;
  kw: number;
  minutes: number;
}

/**
 * Turns a stream of minute readings into rule contexts. Keeps only bounded state (the last hours
 * of a few signals and a week of daily efficiency), so the edge runner can run it for years.
 */
export class MinuteTracker {
  private prev: MinuteReading | null = null;
  private runStart: Array<number | null> = PUMPS.map(() => null);
  private starts: number[][] = PUMPS.map(() => []);
  private runsEnded: Array<Array<{ end: number; length: number }>> = PUMPS.map(() => []);
  private flowSince = 0;
  private levelSince = 0;
  private dayTotalSince = 0;
  private lastOnOffChange = -Infinity;
  private energyDay = -1;
  private energy = 0;
  private hourly: Array<{ hour: number; flow: number; kw: number; n: number }> = [];
  private learned = new Map<number, { mean: number; variance: number; n: number }>();
  private days: DayEfficiency[][] = PUMPS.map(() => []);
  private kwSeen = false;
  private efficiencyDay = -1;
  private efficiency: Array<{ slope: number | null; ratio: number | null }> = PUMPS.map(() => ({
    slope: null,
    ratio: null,
  }));
  private spansHour = -1;
  private spans: { last24: { flow: number; kw: number } | null; prev24: { flow: number; kw: number } | null } = {
    last24: null,
    prev24: null,
  };
  private levels: Array<{ time: number; level: number }> = [];
  private outageSince: number | null = null;
  private outageEndedAt: number | null = null;
  private threePlusSince: number | null = null;
  // Per-minute arrays that only change once a day (or never): built when they change, not each minute.
  private readonly ratedKw: number[];
  private efficiencySlopes: Array<number | null> = PUMPS.map(() => null);
  private efficiencyRatios: Array<number | null> = PUMPS.map(() => null);

  constructor(private readonly station: StationConfig) {
    this.ratedKw = PUMPS.map((p) => ratedKwFor(station, p));
  }

  /** Everything the tracker remembers, as plain JSON (for an engine that resumes in a new process). */
  snapshot(): unknown {
    const {
      station: _station,
      learned,
      ratedKw: _rated,
      efficiencySlopes: _slopes,
      efficiencyRatios: _ratios,
      ...rest
    } = this as unknown as Record<string, unknown> & {
      learned: Map<number, unknown>;
    };
    return { ...structuredClone(rest), learned: [...learned] };
  }

  restore(snapshot: unknown): void {
    const { learned, ...rest } = structuredClone(snapshot) as Record<string, unknown> & {
      learned: Array<[number, { mean: number; variance: number; n: number }]>;
    };
    Object.assign(this, rest);
    this.learned = new Map(learned);
    this.efficiencySlopes = this.efficiency.map((e) => e.slope);
    this.efficiencyRatios = this.efficiency.map((e) => e.ratio);
  }

  next(r: MinuteReading): MinuteContext {
    const station = this.station;
    const prev = this.prev;
    const gapMinutes = prev ? Math.round((r.time - prev.time) / MINUTE) : 1;
    const contiguous = prev !== null && gapMinutes === 1;
    const hour = Math.floor(r.time / 3_600_000) % 24; // naive times: the UTC fields are the wall clock
    const day = Math.floor(r.time / 86_400_000);
    const pumps = PUMPS.length;
    const on: boolean[] = new Array(pumps);
    for (let k = 0; k < pumps; k++) on[k] = r.on[k] === true;
    let pumpsOn = 0;
    let pumpsDrawing = 0;
    let pumpsTripped = 0;
    let totalKw = 0;
    for (let k = 0; k < on.length; k++) {
      const kw = r.kw[k] ?? 0;
      totalKw += kw;
      if (!on[k]) continue;
      pumpsOn++;
      if (kw > 0) pumpsDrawing++;
      else if (r.kw[k] === 0) pumpsTripped++;
    }

    // Runs and starts (a gap over 5 minutes ends a run, as in pump_sessions).
    const runMinutes: number[] = new Array(pumps);
    const startsLastHour: number[] = new Array(pumps);
    const meanRunLastHour: Array<number | null> = new Array(pumps);
    for (let k = 0; k < pumps; k++) {
      const wasOn = prev !== null && gapMinutes <= 5 && prev.on[k] === true;
      const starts = this.starts[k];
      const runsEnded = this.runsEnded[k];
      if (on[k] && !wasOn) {
        this.runStart[k] = r.time;
        starts.push(r.time);
      }
      if (!on[k] && this.runStart[k] !== null) {
        runsEnded.push({ end: r.time, length: (r.time - this.runStart[k]!) / MINUTE });
        this.runStart[k] = null;
      }
      while (starts.length && starts[0] <= r.time - 60 * MINUTE) starts.shift();
      while (runsEnded.length && runsEnded[0].end <= r.time - 60 * MINUTE) runsEnded.shift();
      runMinutes[k] = on[k] && this.runStart[k] !== null ? (r.time - this.runStart[k]!) / MINUTE + 1 : 0;
      startsLastHour[k] = starts.length;
      let total = 0;
      for (const run of runsEnded) total += run.length;
      meanRunLastHour[k] = runsEnded.length ? total / runsEnded.length : null;
    }

    // Frozen signals: minutes without an exact change, and ONOFF changes meanwhile.
    let onOffChanged = false;
    for (let k = 0; prev !== null && k < pumps; k++) if ((prev.on[k] === true) !== on[k]) onOffChanged = true;
    if (onOffChanged) this.lastOnOffChange = r.time;
    if (!prev || r.flow !== prev.flow) this.flowSince = r.time;
    if (!prev || r.level !== prev.level) this.levelSince = r.time;
    if (!prev || r.dayTotal !== prev.dayTotal) this.dayTotalSince = r.time;
    const flowFrozenMinutes = (r.time - this.flowSince) / MINUTE;
    const levelFrozenMinutes = (r.time - this.levelSince) / MINUTE;

    // Energy today.
    if (day !== this.energyDay) (this.energyDay = day), (this.energy = 0);
    this.energy += totalKw / 60;

    // Expected flow for this number of running pumps: a running mean and variance per count,
    // learned only from minutes that look normal, so a fault does not teach itself.
    let expectedFlow: number | null = null;
    let expectedFlowSd: number | null = null;
    const model = this.learned.get(pumpsOn);
    if (model && model.n >= 30) {
      expectedFlow = model.mean;
      expectedFlowSd = Math.sqrt(model.variance);
    }
    if (r.flow !== null && pumpsOn > 0) {
      const plausible =
        expectedFlow === null ||
        Math.abs(r.flow - expectedFlow) <= Math.max(4 * (expectedFlowSd ?? 0), 0.25 * expectedFlow);
      if (plausible) {
        const m = model ?? { mean: r.flow, variance: 0, n: 0 };
        const alpha = Math.max(1 / (m.n + 1), 1 / 1440);
        const delta = r.flow - m.mean;
        m.mean += alpha * delta;
        m.variance = (1 - alpha) * (m.variance + alpha * delta * delta);
        m.n += 1;
        this.learned.set(pumpsOn, m);
      }
    }

    // Hourly means over the last 48 h (C-04).
    const hourIndex = Math.floor(r.time / 3_600_000);
    let bucket = this.hourly.at(-1);
    if (!bucket || bucket.hour !== hourIndex) this.hourly.push((bucket = { hour: hourIndex, flow: 0, kw: 0, n: 0 }));
    if (r.flow !== null) (bucket.flow += r.flow), (bucket.kw += totalKw), bucket.n++;
    if (this.hourly[0].hour <= hourIndex - 49) this.hourly = this.hourly.filter((h) => h.hour > hourIndex - 49);
    // Compared over complete hours, so the figures change once an hour.
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
    const { last24, prev24 } = this.spans;

    // Daily m³/kWh per pump (its share of the flow per kW while running), for E-05 / G-03.
    for (let k = 0; k < pumps; k++) {
      const days = this.days[k];
      let today = days[days.length - 1];
      if (!today || today.day !== day) days.push((today = { day, flowShare: 0, kw: 0, minutes: 0 }));
      if (on[k] && r.flow !== null && r.kw[k] !== null && pumpsOn > 0) {
        today.flowShare += r.flow / pumpsOn;
        today.kw += r.kw[k]!;
        today.minutes++;
      }
      if (days[0].day <= day - 8) this.days[k] = days.filter((d) => d.day > day - 8);
    }
    // The 7-day figures change only when a day ends: computed once per day.
    if (this.efficiencyDay !== day) {
      this.efficiencyDay = day;
      this.efficiency = this.days.map((days) => sevenDayEfficiency(days.filter((d) => d.day < day)));
      this.efficiencySlopes = this.efficiency.map((e) => e.slope);
      this.efficiencyRatios = this.efficiency.map((e) => e.ratio);
    }

    // Level history for "not filling" checks.
    if (r.level !== null) this.levels.push({ time: r.time, level: r.level });
    while (this.levels.length && this.levels[0].time < r.time - 30 * MINUTE) this.levels.shift();
    const levelAgo = (minutes: number) => {
      const at = r.time - minutes * MINUTE;
      const then =
        this.levels.length > minutes && this.levels[this.levels.length - 1 - minutes].time === at
          ? this.levels[this.levels.length - 1 - minutes]
          : this.levels.find((x) => x.time === at);
      return then && r.level !== null ? r.level - then.level : null;
    };

    // Outage: pumps lose their command and power together (a PLC stops them one at a time).
    let dropped = 0;
    for (let k = 0; prev && contiguous && k < pumps; k++) if (prev.on[k] === true && !on[k]) dropped++;
    const hltPct = r.level === null ? null : (r.level / station.hlt_physical_max) * 100;
    if (
      this.outageSince === null &&
      pumpsOn === 0 &&
      totalKw === 0 &&
      (dropped >= 2 || (dropped === 1 && hltPct !== null && hltPct < 40))
    ) {
      this.outageSince = r.time;
    } else if (this.outageSince !== null && totalKw > 0) {
      this.outageSince = null;
      this.outageEndedAt = r.time;
    }

    if (pumpsOn >= 3) this.threePlusSince ??= r.time;
    else this.threePlusSince = null;

    const context: MinuteContext = {
      r,
      station,
      hour,
      isPeak: isPeakHour(station, hour),
      pumpsOn,
      pumpsDrawing,
      pumpsTripped,
      totalKw,
      hltPct,
      hltDiff: contiguous && r.level !== null && prev!.level !== null ? r.level - prev!.level : null,
      flowDiff: contiguous && r.flow !== null && prev!.flow !== null ? r.flow - prev!.flow : null,
      gapMinutes,
      expectedFlow,
      expectedFlowSd,
      runMinutes,
      startsLastHour,
      meanRunLastHour,
      flowFrozenMinutes,
      levelFrozenMinutes,
      dayTotalFrozenMinutes: (r.time - this.dayTotalSince) / MINUTE,
      onOffChangedWhileFlowFrozen: this.lastOnOffChange > this.flowSince,
      onOffChangedWhileLevelFrozen: this.lastOnOffChange > this.levelSince,
      prevKw: contiguous ? prev!.kw : NO_PUMP_VALUES,
      prevOn: contiguous ? prev!.on : NO_PUMP_VALUES,
      energyTodayKwh: this.energy,
      flow24h: last24?.flow ?? null,
      flowPrev24h: prev24?.flow ?? null,
      kw24h: last24?.kw ?? null,
      kwPrev24h: prev24?.kw ?? null,
      efficiencySlope7d: this.efficiencySlopes,
      efficiencyRatio: this.efficiencyRatios,
      kwSeenBefore: this.kwSeen,
      ratedKw: this.ratedKw,
      levelChange10: levelAgo(10),
      levelChange30: levelAgo(30),
      minutesAtThreePlus: this.threePlusSince === null ? 0 : (r.time - this.threePlusSince) / MINUTE,
      outageSince: this.outageSince,
      outageEndedAt: this.outageEndedAt,
    };
    if (totalKw > 0) this.kwSeen = true;
    this.prev = r;
    return context;
  }
}
