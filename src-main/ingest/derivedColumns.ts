import { OVERRUN_MINUTES } from '../../src-shared/alerts/rules/runtime';
import type { RawMinutes } from '../../src-shared/minuteFrame';
import { derivedLevelLimits, levelBands } from '../../src-shared/station/levelBands';
import { isPeakHour, type StationModel } from '../../src-shared/station/model';
import { stationColumns } from '../../src-shared/station/signals';
import { DAY_MS, MINUTE_MS } from '../../src-shared/time';
import type { AppendColumn } from '../db/columnar';
import { DERIVED_COLUMNS } from '../db/schema';

// Seed 002 §7.2-7.5 over a run of rows held as columns, for any station: the station model says
// which raw tags are the level, the flow and each pump's run state and power (in one unit each,
// src-shared/station/signals.ts). Every window is by time, never by row count, so gaps and DST
// changes do not shift rows; a difference "versus the previous row" is NULL when that row is
// missing. Windowed statistics are computed from each window's own samples (not a running sum),
// so a value does not depend on where the computation started: an import that appends gives the
// same bits as one import of everything. A row stands for its step from the previous one, at most
// the station's logging interval (`interval_min`), which weights energy and run time.
//
// The flag_* columns are the seed's own conditions (§7.5), kept as the seed names them; the alert
// rules (src-shared/alerts/rules) are what PumpDeck raises, with their delays and hysteresis.

/** How far back a derived value looks: the overrun flag needs the last 20 h of a run. */
export const DERIVED_LOOKBACK_MINUTES = 24 * 60;

export const FLOW_Z_WINDOW_MINUTES = 60;
export const FLOW_ANOMALY_Z = 3.5;
export const SHORT_CYCLE_STARTS_PER_HOUR = 4;
const SLOPE_WINDOW_MINUTES = 10;

/**
 * The derived columns of readings_wide for every row of `raw`, in DERIVED_COLUMNS order. Rows
 * need DERIVED_LOOKBACK_MINUTES of history before them in `raw` for their values to be final.
 */
// Long because one pass over the minutes computes every derived column of seed 002 §7.2-7.5, so a year is read once.
export function deriveColumns(raw: RawMinutes, station: StationModel): AppendColumn[] {
  const { times } = raw;
  const n = times.length;
  const cols = stationColumns(raw, station);
  const { flow, level } = cols;
  const on = cols.run;
  const kw = cols.kw;
  const interval = Math.max(1, station.interval_min);
  const range = station.level ? station.level.max - station.level.min : Number.NaN;
  const levelMin = station.level?.min ?? 0;
  const { lowPct, overflowPct, nearlyFullPct } = derivedLevelLimits(levelBands(station));

  const out = new Map<string, Int32Array | Float64Array>(
    DERIVED_COLUMNS.map(([name, type]) => [
      name,
      type === 'DOUBLE' ? new Float64Array(n).fill(Number.NaN) : new Int32Array(n),
    ]),
  );
  const int = (name: string) => out.get(name) as Int32Array;
  const dbl = (name: string) => out.get(name) as Float64Array;
  const [date, hour, dow, weekend, peak, pumpsOn, weight] = [
    'date',
    'hour',
    'day_of_week',
    'is_weekend',
    'is_peak_hour',
    'pumps_on_count',
    'interval_min',
  ].map(int);
  const [totalKw, flowPerPump, energyPerFlow, levelPct, hltDiff, flowDiff, zScore, slope10] = [
    'total_kw',
    'flow_per_pump',
    'energy_per_flow',
    'hlt_pct',
    'hlt_diff',
    'flow_diff',
    'flow_z_score',
    'flow_slope_10',
  ].map(dbl);
  const [zeroFlow, flowAnomaly, critLow, overflow, shortCycle, overrun, peakWaste] = [
    'flag_zero_flow_pump_on',
    'flag_flow_anomaly',
    'flag_hlt_critical_low',
    'flag_hlt_overflow_risk',
    'flag_short_cycle',
    'flag_pump_overrun',
    'flag_peak_hour_waste',
  ].map(int);
  const peakOfHour = Array.from({ length: 24 }, (_, h) => isPeakHour(station, h));
  const pumps = on.length;

  // Per-row values, starts and the run bookkeeping.
  const starts = on.map(() => new Uint8Array(n));
  const lastOff = on.map(() => Number.NaN); // latest row each pump was not running (NaN: none yet)
  const runFrom = n > 0 ? times[0] - interval * MINUTE_MS : 0; // a run already going at the first row counts from before it
  const zeroHeld = new Uint8Array(n); // pumps on and zero flow this row
  for (let i = 0; i < n; i++) {
    const t = times[i];
    const day = Math.floor(t / DAY_MS);
    const h = Math.floor((t - day * DAY_MS) / 3_600_000);
    date[i] = day;
    hour[i] = h;
    dow[i] = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; Sunday = 0 as in DuckDB
    weekend[i] = dow[i] === 0 || dow[i] === 6 ? 1 : 0;
    peak[i] = peakOfHour[h] ? 1 : 0;
    const step = i > 0 ? Math.round((t - times[i - 1]) / MINUTE_MS) : interval;
    weight[i] = Math.max(0, Math.min(step, interval));
    const contiguous = i > 0 && step > 0 && step <= interval;
    let count = 0;
    let power = 0;
    let powerKnown = false;
    let maxRun = 0;
    for (let k = 0; k < pumps; k++) {
      const isOn = on[k][i] === 1;
      if (isOn) count++;
      const p = kw[k][i];
      if (!Number.isNaN(p)) {
        power += p;
        powerKnown = true;
      }
      if (isOn && contiguous && on[k][i - 1] === 0) starts[k][i] = 1;
      if (!isOn) lastOff[k] = t;
      else maxRun = Math.max(maxRun, Math.round((t - (Number.isNaN(lastOff[k]) ? runFrom : lastOff[k])) / MINUTE_MS));
    }
    pumpsOn[i] = count;
    // A row where no pump's power is known has no total (a missing value is not 0 kW).
    totalKw[i] = powerKnown ? power : Number.NaN;
    const f = flow[i];
    const l = level[i];
    if (count > 0) flowPerPump[i] = f / count;
    if (f > 0) energyPerFlow[i] = totalKw[i] / f;
    const pct = ((l - levelMin) / range) * 100;
    levelPct[i] = pct;
    if (contiguous) {
      hltDiff[i] = l - level[i - 1];
      flowDiff[i] = f - flow[i - 1];
    }
    zeroHeld[i] = count > 0 && f === 0 ? 1 : 0;
    critLow[i] = pct < lowPct ? 1 : 0;
    overflow[i] = pct > overflowPct && count > 0 && hltDiff[i] > 0 ? 1 : 0;
    overrun[i] = maxRun > OVERRUN_MINUTES ? 1 : 0;
    peakWaste[i] = peak[i] === 1 && pct > nearlyFullPct && count > 0 ? 1 : 0;
  }

  // Windows by time: rows from `from` to i lie within the window ending at row i.
  let from60 = 0;
  let from10 = 0;
  let from3 = 0;
  const startsInHour = new Int32Array(pumps);
  let held = 0;
  for (let i = 0; i < n; i++) {
    const t = times[i];
    for (let k = 0; k < pumps; k++) startsInHour[k] += starts[k][i];
    held += zeroHeld[i];
    while (times[from60] < t - (FLOW_Z_WINDOW_MINUTES - 1) * MINUTE_MS) {
      for (let k = 0; k < pumps; k++) startsInHour[k] -= starts[k][from60];
      from60++;
    }
    while (times[from10] < t - (SLOPE_WINDOW_MINUTES - 1) * MINUTE_MS) from10++;
    while (times[from3] < t - 2 * MINUTE_MS) held -= zeroHeld[from3++];
    // Integer counts: a running sum is exact.
    let mostStarts = 0;
    for (let k = 0; k < pumps; k++) mostStarts = Math.max(mostStarts, startsInHour[k]);
    shortCycle[i] = mostStarts > SHORT_CYCLE_STARTS_PER_HOUR ? 1 : 0;
    zeroFlow[i] = held === 3 ? 1 : 0; // "for more than 2 minutes": the last 3 minutes all present and true
    const f = flow[i];
    const [mean, sd] = meanAndSd(flow, from60, i);
    if (sd > 0 && !Number.isNaN(f)) zScore[i] = (f - mean) / sd;
    flowAnomaly[i] = sd > 0 && Math.abs((f - mean) / sd) > FLOW_ANOMALY_Z ? 1 : 0;
    slope10[i] = slopePerMinute(times, flow, from10, i);
  }

  return DERIVED_COLUMNS.map(([name, type]): AppendColumn => {
    const values = out.get(name) as Int32Array | Float64Array;
    if (type === 'DATE') return { type: 'date', epochDays: values as Int32Array };
    return type === 'DOUBLE'
      ? { type: 'double', values: values as Float64Array }
      : { type: 'integer', values: values as Int32Array };
  });
}

/** Mean and sample standard deviation of the non-NULL values in rows from..to (NaN when undefined). */
function meanAndSd(values: Float64Array, from: number, to: number): [number, number] {
  let count = 0;
  let sum = 0;
  for (let j = from; j <= to; j++) {
    const v = values[j];
    if (!Number.isNaN(v)) {
      count++;
      sum += v;
    }
  }
  if (count < 2) return [count === 1 ? sum : Number.NaN, Number.NaN];
  const mean = sum / count;
  let squares = 0;
  for (let j = from; j <= to; j++) {
    const v = values[j];
    if (!Number.isNaN(v)) squares += (v - mean) * (v - mean);
  }
  return [mean, Math.sqrt(squares / (count - 1))];
}

/** Least-squares slope of `values` per minute of `times` over rows from..to (NaN when undefined). */
function slopePerMinute(times: Float64Array, values: Float64Array, from: number, to: number): number {
  let count = 0;
  let sx = 0;
  let sy = 0;
  for (let j = from; j <= to; j++) {
    const v = values[j];
    if (!Number.isNaN(v)) {
      count++;
      sx += (times[j] - times[to]) / MINUTE_MS;
      sy += v;
    }
  }
  if (count < 2) return Number.NaN;
  const mx = sx / count;
  const my = sy / count;
  let sxy = 0;
  let sxx = 0;
  for (let j = from; j <= to; j++) {
    const v = values[j];
    if (Number.isNaN(v)) continue;
    const dx = (times[j] - times[to]) / MINUTE_MS - mx;
    sxy += dx * (v - my);
    sxx += dx * dx;
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}
