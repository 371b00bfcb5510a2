import type { MinuteContext } from '../minute';
import type { AlertRule } from '../rule';
import { f1 } from '../rule';
import { flowAbove, flowOf, frozenFor, partialRun } from './context';

// C — Flow anomalies (seed 002 §8.6).

const RUN = 'run state';
const KW = 'pump kW';
const FLOW = 'flow';

/** No pump runs and none draws power (pumps without a power meter count by their run state alone). */
const stationIdle = (c: MinuteContext) => c.pumpsOn === 0 && (c.totalKw === null || c.totalKw === 0);

/** Every running pump with a power meter draws a normal load (over 0.4 × rated, or over 0 when unrated). */
const normalLoad = (c: MinuteContext) =>
  c.r.on.every((v, k) => {
    if (v !== true || c.station.pumps[k].kw === undefined) return true;
    const kw = c.r.kw[k];
    const rated = c.ratedKw[k];
    return kw !== null && kw > (rated === null ? 0 : 0.4 * rated);
  });

export const FLOW_RULES: AlertRule[] = [
  {
    code: 'C-01',
    group: 'C',
    name: 'Flow detected — no pumps running',
    severity: 'HIGH',
    scope: 'station',
    condition: 'FIT101_PER_HR>0.1, pumps_on_count=0, all KWH=0 for >3 min',
    onDelayMin: 3,
    offDelayMin: 2,
    clear: 'Flow back to 0 or a pump runs',
    constants: [],
    needs: ['flow', 'run'],
    signals: [FLOW, RUN, KW],
    hint: 'Back-flow through a failed check valve, or a meter offset: compare with the level.',
    test: (c) => flowAbove(c, 0.1) && stationIdle(c),
    value: (c) => c.r.flow,
    valueUnit: 'flow',
    message: (c) => `${c.words.flow} reads ${f1(c.r.flow)} m³/h with no pump running`,
  },
  {
    code: 'C-02',
    group: 'C',
    name: 'Flow spike — sudden large increase',
    severity: 'WARNING',
    scope: 'station',
    condition: 'flow_z_score > +3.5 AND flow_diff > avg_flow × 0.5 in one minute',
    onDelayMin: 0,
    offDelayMin: 5,
    clear: 'Flow back within 3 σ of the flow expected for the pumps running',
    constants: [],
    needs: ['flow', 'run'],
    signals: [FLOW, RUN],
    hint: 'A burst downstream or a meter fault: flow far above what the running pumps deliver.',
    decision:
      'Compared with the flow expected for the number of pumps running (learned), so a pump start is not a spike; on a coarse log a row in which a pump started or stopped is not judged (its average holds part of that pump’s flow).',
    test: (c) => {
      const flow = flowOf(c);
      return (
        flow !== null &&
        !partialRun(c) &&
        c.expectedFlow !== null &&
        c.expectedFlowSd !== null &&
        flow - c.expectedFlow > Math.max(3.5 * c.expectedFlowSd, 0.5 * c.expectedFlow)
      );
    },
    clearTest: (c) => {
      const flow = flowOf(c);
      return (
        c.expectedFlow === null ||
        flow === null ||
        flow - c.expectedFlow < 3 * (c.expectedFlowSd ?? 0) + 0.25 * c.expectedFlow
      );
    },
    value: (c) => c.r.flow,
    valueUnit: 'flow',
    message: (c) => `Flow ${f1(c.r.flow)} m³/h far above the ${f1(c.expectedFlow)} expected for ${c.pumpsOn} pumps`,
  },
  {
    code: 'C-03',
    group: 'C',
    name: 'Flow crash — sudden large decrease',
    severity: 'HIGH',
    scope: 'station',
    condition: 'flow_z_score < −3.5 while pumps are ON and KWH is normal',
    onDelayMin: 1,
    offDelayMin: 5,
    clear: 'Flow back within 3 σ of the expected flow',
    constants: ['rated_kw'],
    needs: ['flow', 'run'],
    signals: [FLOW, RUN, KW],
    hint: 'Pumps draw normal power but deliver far less: blockage, closed valve or a burst suction.',
    decision:
      'Compared with the flow expected for the pumps running, not a rolling z-score, so a pump stop is not a crash; zero flow is B-02/B-03. "KWH is normal": every running pump with a power meter draws over 0.4 × its rated power.',
    test: (c) => {
      const flow = flowOf(c);
      return (
        flow !== null &&
        c.expectedFlow !== null &&
        c.expectedFlowSd !== null &&
        c.pumpsOn > 0 &&
        flow > 0 &&
        c.expectedFlow - flow > Math.max(3.5 * c.expectedFlowSd, 0.5 * c.expectedFlow) &&
        normalLoad(c)
      );
    },
    clearTest: (c) => {
      const flow = flowOf(c);
      return (
        c.expectedFlow === null ||
        c.pumpsOn === 0 ||
        flow === null ||
        c.expectedFlow - flow < 3 * (c.expectedFlowSd ?? 0) + 0.25 * c.expectedFlow
      );
    },
    value: (c) => c.r.flow,
    valueUnit: 'flow',
    message: (c) =>
      `Flow ${f1(c.r.flow)} m³/h far below the ${f1(c.expectedFlow)} expected for ${c.pumpsOn} pumps at normal power`,
  },
  {
    code: 'C-04',
    group: 'C',
    name: 'Gradual flow decline — clogging trend',
    severity: 'WARNING',
    scope: 'station',
    condition: 'hourly_profile avg_flow down >15% over 48 hrs while total_kwh stable or rising',
    onDelayMin: 60,
    offDelayMin: 60,
    clear: 'Flow per kW within 10 % of the day before',
    constants: [],
    needs: ['flow', 'kw'],
    signals: [FLOW, KW],
    hint: 'Flow per kWh falls day on day: screens, strainers or impellers clogging.',
    decision:
      'Compares flow per kW of the last 24 h with the 24 h before, so a quieter day of demand is not a decline.',
    test: (c) =>
      c.flow24h !== null &&
      c.flowPrev24h !== null &&
      c.kw24h !== null &&
      c.kwPrev24h !== null &&
      c.kw24h > 0 &&
      c.kwPrev24h > 0 &&
      c.kw24h >= 0.98 * c.kwPrev24h &&
      c.flow24h / c.kw24h < 0.85 * (c.flowPrev24h / c.kwPrev24h),
    clearTest: (c) =>
      c.flow24h === null ||
      c.flowPrev24h === null ||
      !c.kw24h ||
      !c.kwPrev24h ||
      c.flow24h / c.kw24h > 0.9 * (c.flowPrev24h / c.kwPrev24h),
    value: (c) => c.flow24h,
    valueUnit: 'flow',
    message: (c) => `Flow per kW down over 15 % on the day before (${f1(c.flow24h)} vs ${f1(c.flowPrev24h)} m³/h)`,
  },
  {
    code: 'C-05',
    group: 'C',
    name: 'Night flow — no pumps commanded',
    severity: 'WARNING',
    scope: 'station',
    condition: 'hour BETWEEN 22 AND 5, FIT101>0.2, pumps_on_count=0, all KWH=0',
    onDelayMin: 0,
    offDelayMin: 2,
    clear: 'Flow back to 0 or a pump runs',
    constants: [],
    needs: ['flow', 'run'],
    signals: [FLOW, RUN, KW],
    hint: 'Flow at night with every pump off: leak through a check valve or an unauthorised draw.',
    test: (c) => (c.hour >= 22 || c.hour <= 5) && flowAbove(c, 0.2) && stationIdle(c),
    value: (c) => c.r.flow,
    valueUnit: 'flow',
    message: (c) => `Night flow ${f1(c.r.flow)} m³/h with no pump commanded`,
  },
  {
    code: 'C-06',
    group: 'C',
    name: 'Flow sensor frozen — stuck reading',
    severity: 'WARNING',
    scope: 'station',
    condition: 'FIT101_PER_HR identical for >15 consecutive min while ONOFF states change',
    onDelayMin: 0,
    offDelayMin: 0,
    clear: 'The reading changes',
    constants: [],
    needs: ['flow', 'run'],
    signals: [FLOW, RUN],
    hint: 'The flow reading ignores pump starts and stops: check the transmitter and its loop.',
    test: (c) => c.r.flow !== null && frozenFor(c.flowFrozenMinutes, c, 15) && c.onOffChangedWhileFlowFrozen,
    value: (c) => c.r.flow,
    valueUnit: 'flow',
    message: (c) =>
      `${c.words.flow} stuck at ${f1(c.r.flow)} m³/h for ${Math.round(c.flowFrozenMinutes)} min while pumps changed state`,
  },
  {
    code: 'C-07',
    group: 'C',
    name: 'Daily flow total not advancing',
    severity: 'WARNING',
    scope: 'station',
    condition: 'FIT101_DAY_TOTAL unchanged for >30 min while FIT101_PER_HR > 0',
    onDelayMin: 0,
    offDelayMin: 0,
    clear: 'The total advances',
    constants: [],
    needs: ['day_total', 'flow'],
    signals: ['day total', FLOW],
    hint: 'The totaliser stopped while flow is measured: PLC totaliser block or its input.',
    test: (c) => c.r.dayTotal !== null && frozenFor(c.dayTotalFrozenMinutes, c, 30) && flowAbove(c, 0),
    value: (c) => c.r.dayTotal,
    valueUnit: 'day_total',
    message: (c) =>
      `${c.words.dayTotal} stuck at ${f1(c.r.dayTotal)} m³ for ${Math.round(c.dayTotalFrozenMinutes)} min with flow ${f1(c.r.flow)} m³/h`,
  },
];
