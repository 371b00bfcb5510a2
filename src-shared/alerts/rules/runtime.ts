import type { AlertRule } from '../rule';
import { f1 } from '../rule';

// E — Runtime and wear (seed 002 §8.8).

const RUN = 'run state';
const KW = 'pump kW';
const FLOW = 'flow';

/** A run longer than this is an overrun (seed 002 §8.8 E-01: 20 hours). */
export const OVERRUN_MINUTES = 20 * 60;

export const RUNTIME_RULES: AlertRule[] = [
  {
    code: 'E-01',
    group: 'E',
    name: 'Pump overrun — continuous run exceeded',
    severity: 'WARNING',
    scope: 'pump',
    condition: 'pump_sessions: single session duration_min > 1200 (20 hours)',
    onDelayMin: 0,
    offDelayMin: 0,
    clear: 'The pump stops',
    constants: [],
    needs: ['run', 'fixed_speed'],
    signals: [RUN],
    hint: 'Duty is not rotating or demand exceeds the design: check the PLC alternation.',
    test: (c, k) => c.runMinutes[k] > OVERRUN_MINUTES,
    value: (c, k) => c.runMinutes[k],
    valueUnit: 'min',
    message: (c, k, p) => `${p} has run ${Math.round(c.runMinutes[k] / 60)} h without stopping`,
  },
  {
    code: 'E-02',
    group: 'E',
    name: 'All pumps ON simultaneously — extended',
    severity: 'WARNING',
    scope: 'station',
    condition: 'pumps_on_count=6 for >120 min AND hlt_diff ≤ 0 (not filling)',
    lift: {
      condition: 'every pump running for >120 min AND the wet well not falling',
      clear: 'A pump stops, or the wet well falls',
      hint: 'No reserve left and the wet well does not go down: inflow beyond capacity or pumps delivering little.',
    },
    onDelayMin: 120,
    offDelayMin: 5,
    clear: 'A pump stops, or the tank fills',
    constants: [],
    needs: ['run', 'level'],
    signals: [RUN, 'level'],
    hint: 'No reserve left and the tank still does not fill: demand beyond capacity or a loss.',
    decision:
      'Every pump of the station (the seed\'s six), at least two; the level must be known (a missing level is not "not filling").',
    test: (c) =>
      c.station.pumps.length >= 2 &&
      c.pumpsOn === c.station.pumps.length &&
      c.pumpedChange30 !== null &&
      c.pumpedChange30 <= 0,
    value: (c) => c.levelChange30,
    valueUnit: 'level',
    message: (c) =>
      `All ${c.station.pumps.length} pumps running for 2 h and the ${c.words.basin} is not ${c.words.kind === 'lift' ? 'falling' : 'filling'}`,
  },
  {
    code: 'E-03',
    group: 'E',
    name: 'Short cycling — single pump',
    severity: 'WARNING',
    scope: 'pump',
    condition: 'Pump start_count > 4 in 60 min window AND avg session duration < 5 min',
    onDelayMin: 0,
    offDelayMin: 10,
    clear: '4 starts or fewer in the last hour',
    constants: [],
    needs: ['run'],
    signals: [RUN],
    dependsOn: ['E-04'],
    hint: 'Contactor wear: widen the level band or check the level switch.',
    test: (c, k, active) => c.startsLastHour[k] > 4 && (c.meanRunLastHour[k] ?? 0) < 5 && !active('E-04', k),
    clearTest: (c, k) => c.startsLastHour[k] <= 4,
    value: (c, k) => c.startsLastHour[k],
    valueUnit: 'starts/h',
    message: (c, k, p) => `${p} started ${c.startsLastHour[k]} times in an hour`,
  },
  {
    code: 'E-04',
    group: 'E',
    name: 'Rapid short cycling — imminent failure',
    severity: 'HIGH',
    scope: 'pump',
    condition: 'Pump start_count > 10 in 60 min window AND avg session duration < 3 min',
    onDelayMin: 0,
    offDelayMin: 10,
    clear: '10 starts or fewer in the last hour',
    constants: [],
    needs: ['run'],
    signals: [RUN],
    hint: 'The motor overheats at this start rate: lock the pump out until the control fault is found.',
    test: (c, k) => c.startsLastHour[k] > 10 && (c.meanRunLastHour[k] ?? 0) < 3,
    clearTest: (c, k) => c.startsLastHour[k] <= 10,
    value: (c, k) => c.startsLastHour[k],
    valueUnit: 'starts/h',
    message: (c, k, p) => `${p} started ${c.startsLastHour[k]} times in an hour, runs under 3 min`,
  },
  {
    code: 'E-05',
    group: 'E',
    name: 'Pump efficiency degrading — maintenance due',
    severity: 'INFO',
    scope: 'pump',
    condition: 'pump_health: efficiency_slope_7d negative AND avg_flow_per_kwh < 80% of 7-day baseline',
    onDelayMin: 0,
    offDelayMin: 60,
    clear: 'm³/kWh back above 85 % of its reference',
    constants: [],
    needs: ['run', 'kw', 'flow'],
    signals: [FLOW, KW, RUN],
    hint: 'Plan an inspection: wear ring clearance, impeller wear, motor condition.',
    decision:
      "Seed flaw fixed: the seed compares a pump with its own 7-day mean, which falls with it as it wears (a pump losing 35 % over 12 days never dropped below 80 % of it). PumpDeck compares the last complete day with the pump's reference, its best 7 days in the last 90, and needs the weekly slope negative.",
    test: (c, k) => {
      const ratio = c.efficiencyRatio[k];
      const slope = c.efficiencySlope7d[k];
      return slope !== null && slope < 0 && ratio !== null && ratio < 0.8;
    },
    clearTest: (c, k) => {
      const ratio = c.efficiencyRatio[k];
      return ratio === null || ratio > 0.85;
    },
    value: (c, k) => c.efficiencyRatio[k],
    valueUnit: 'ratio',
    message: (c, k, p) => `${p} delivers ${f1((c.efficiencyRatio[k] ?? 0) * 100)} % of its best m³/kWh, trending down`,
  },
];
