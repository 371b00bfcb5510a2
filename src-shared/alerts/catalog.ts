import type { StationField } from '../api/contract';
import type { MinuteContext } from './minute';

// The alert rules of seed 002 §8.4-8.11 as data: one entry per rule, evaluated by one engine on
// the console and on the edge. `condition` is the seed's text; `test` is what PumpDeck checks;
// where they differ, `decision` says why (see also docs/decisions.md).

export type Severity = 'CRITICAL' | 'HIGH' | 'WARNING' | 'INFO';
export type RuleGroup = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H';

export const GROUP_NAMES: Record<RuleGroup, string> = {
  A: 'Power supply',
  B: 'Pump faults',
  C: 'Flow anomalies',
  D: 'HLT tank',
  E: 'Runtime and wear',
  F: 'Data quality',
  G: 'Energy efficiency',
  H: 'Cascade events',
};

/** Active state of a rule at this minute (rules later in the catalog see earlier ones). */
export type ActiveLookup = (code: string, pump?: number) => boolean;

export interface AlertRule {
  code: string;
  group: RuleGroup;
  name: string;
  severity: Severity;
  scope: 'station' | 'pump';
  /** The seed's condition, as written there. */
  condition: string;
  /** Raise once the test has held this many minutes past its first minute ("for > N min"). */
  onDelayMin: number;
  /** Clear once the test (or clearTest) has been false this many minutes (hysteresis). */
  offDelayMin: number;
  clear: string;
  constants: StationField[];
  signals: string[];
  dependsOn?: string[];
  /** One-shot events (a gap, a restoration): raised and cleared in the same step. */
  event?: boolean;
  hint: string;
  decision?: string;
  test(c: MinuteContext, pump: number, active: ActiveLookup): boolean;
  /** Optional: the condition that clears an active alert, when not simply "test is false". */
  clearTest?(c: MinuteContext, pump: number, active: ActiveLookup): boolean;
  value(c: MinuteContext, pump: number): number | null;
  message(c: MinuteContext, pump: number, name: string): string;
}

const f1 = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(1));
const kwOf = (c: MinuteContext, k: number) => c.r.kw[k] ?? 0;
const on = (c: MinuteContext, k: number) => c.r.on[k] === true;
const flow = (c: MinuteContext) => c.r.flow ?? 0;
const ONOFF = 'Px.ONOFF';
const KW = 'PxKWH_HR.PER_HR';
const FIT = 'FIT101_HR.PER_HR';
const HLT = 'HLT101.OUTPUT';

export const RULES: AlertRule[] = [
  // A — Power supply
  {
    code: 'A-01', group: 'A', name: 'Complete power outage', severity: 'CRITICAL', scope: 'station',
    condition: 'All Px_ONOFF=0 and all Px_KWH=0 suddenly while HLT is falling',
    onDelayMin: 0, offDelayMin: 0, clear: 'Any pump draws power again', constants: [], signals: [ONOFF, KW, HLT],
    hint: 'Check the incoming supply and the MCC; the tank is draining with no pump available.',
    decision: '"Suddenly" = two or more pumps lose command and power in the same minute (or the last one with the tank under 40 %); a PLC stops pumps one at a time.',
    test: (c) => c.outageSince !== null && (c.hltDiff === null || c.hltDiff < 0.5),
    clearTest: (c) => c.totalKw > 0,
    value: (c) => c.hltPct,
    message: (c) => `All pumps lost power; tank at ${f1(c.hltPct)} % and falling`,
  },
  {
    code: 'A-02', group: 'A', name: 'Partial power failure — circuit lost', severity: 'CRITICAL', scope: 'station',
    condition: 'One Px_ONOFF=1 but Px_KWH=0; other pumps draw normal KWH',
    onDelayMin: 1, offDelayMin: 1, clear: 'Every commanded pump draws power', constants: [], signals: [ONOFF, KW],
    hint: 'A supply circuit feeding several motors is lost; check breakers on that circuit.',
    decision: 'Two or more commanded pumps at 0 kW while another draws power; one pump alone is B-01 (tripped), so one fault raises one CRITICAL.',
    test: (c) => c.pumpsTripped >= 2 && c.pumpsDrawing > 0,
    value: (c) => c.pumpsTripped,
    message: (c) => `${c.pumpsTripped} commanded pumps draw no power while others run: circuit lost`,
  },
  {
    code: 'A-03', group: 'A', name: 'Power restored after outage', severity: 'INFO', scope: 'station', event: true,
    condition: 'Transition: all KWH=0 (A-01 active) → any KWH>0 within 60 min',
    onDelayMin: 0, offDelayMin: 0, clear: 'Event', constants: [], signals: [KW], dependsOn: ['A-01'],
    hint: 'Confirm pumps restarted in sequence and the tank recovers.',
    test: (c) => c.outageEndedAt === c.r.time,
    value: (c) => c.totalKw,
    message: (c) => `Power restored: ${f1(c.totalKw)} kW drawn again`,
  },
  {
    code: 'A-04', group: 'A', name: 'Power fluctuation — unstable supply', severity: 'WARNING', scope: 'pump',
    condition: 'Px_KWH varies >30% in consecutive minutes without any ONOFF change',
    onDelayMin: 0, offDelayMin: 10, clear: 'No swing over 30 % for 10 min', constants: [], signals: [KW, ONOFF],
    hint: 'Log supply voltage; check the drive and contactor of this pump.',
    test: (c, k) => {
      const prev = c.prevKw[k];
      if (!(on(c, k) && prev !== null && prev > 0 && kwOf(c, k) > 0 && Math.abs(kwOf(c, k) - prev) / prev > 0.3)) return false;
      return c.r.on.every((v, j) => (v === true) === (c.prevOn[j] === true));
    },
    value: (c, k) => kwOf(c, k),
    message: (c, k, p) => `${p} power swings over 30 % between minutes (now ${f1(c.r.kw[k])} kW)`,
  },
  {
    code: 'A-05', group: 'A', name: 'Electricity present — no pumps commanded', severity: 'INFO', scope: 'station',
    condition: 'KWH>0 confirmed in history, but all ONOFF=0 for >30 min and HLT<50%',
    onDelayMin: 30, offDelayMin: 0, clear: 'A pump is commanded or HLT ≥ 50 %', constants: ['hlt_physical_max'], signals: [ONOFF, KW, HLT],
    hint: 'Supply is available but the PLC holds every pump off with the tank under half: check the PLC mode.',
    decision: 'Not in peak tariff hours, when holding pumps off with the tank under half is the plan.',
    test: (c) => c.kwSeenBefore && !c.isPeak && c.pumpsOn === 0 && c.outageSince === null && c.hltPct !== null && c.hltPct < 50,
    value: (c) => c.hltPct,
    message: (c) => `No pump commanded for 30 min with the tank at ${f1(c.hltPct)} %`,
  },
  // B — Pump faults
  {
    code: 'B-01', group: 'B', name: 'Pump tripped — no power despite command', severity: 'CRITICAL', scope: 'pump',
    condition: 'Px_ONOFF=1 and Px_KWH=0 sustained for >2 min (checked per pump)',
    onDelayMin: 2, offDelayMin: 1, clear: 'The pump draws power or is commanded off', constants: [], signals: [ONOFF, KW],
    hint: 'Reset the overload relay only after finding why it tripped (seized pump, phase loss).',
    decision: 'The only tripped pump; two or more at once are A-02 (circuit lost) or B-07 (all tripped).',
    test: (c, k) => on(c, k) && c.r.kw[k] === 0 && c.pumpsTripped === 1,
    value: (c, k) => c.r.kw[k],
    message: (_c, _k, p) => `${p} commanded ON but draws 0 kW: tripped`,
  },
  {
    code: 'B-02', group: 'B', name: 'Pump running — no flow output', severity: 'HIGH', scope: 'pump',
    condition: 'Px_ONOFF=1, Px_KWH>0, FIT101_PER_HR=0 for >5 min',
    onDelayMin: 5, offDelayMin: 1, clear: 'Flow returns or the pump stops', constants: [], signals: [ONOFF, KW, FIT], dependsOn: ['B-03'],
    hint: 'Closed valve, air lock or broken shaft: check discharge pressure at the pump.',
    decision: 'Only when this pump runs alone or B-03 is not already raised for several pumps, so one dry header is one alert.',
    test: (c, k, active) => on(c, k) && kwOf(c, k) > 0 && flow(c) === 0 && !active('B-03'),
    value: (c) => c.r.flow,
    message: (_c, _k, p) => `${p} draws power but FIT101 reads 0 for 5 min`,
  },
  {
    code: 'B-03', group: 'B', name: 'Multiple pumps running — still no flow', severity: 'CRITICAL', scope: 'station',
    condition: '≥2 pumps ON with KWH>0 but FIT101=0 for >3 min',
    onDelayMin: 3, offDelayMin: 1, clear: 'Flow returns', constants: [], signals: [ONOFF, KW, FIT],
    hint: 'Common discharge blocked or flow meter failed: compare with tank level rise.',
    test: (c) => c.pumpsDrawing >= 2 && flow(c) === 0,
    value: (c) => c.r.flow,
    message: (c) => `${c.pumpsOn} pumps running but no flow for 3 min`,
  },
  {
    code: 'B-04', group: 'B', name: 'Pump overcurrent — excessive power draw', severity: 'HIGH', scope: 'pump',
    condition: 'Px_KWH > rated_kw × 1.3 for >5 min',
    onDelayMin: 5, offDelayMin: 5, clear: 'Power under 1.25 × rated for 5 min', constants: ['rated_kw'], signals: [KW],
    hint: 'Bearing or impeller rubbing, or running far right on the curve: check vibration and current balance.',
    test: (c, k) => kwOf(c, k) > c.ratedKw[k] * 1.3 && kwOf(c, k) <= c.ratedKw[k] * 2,
    clearTest: (c, k) => kwOf(c, k) < c.ratedKw[k] * 1.25,
    value: (c, k) => c.r.kw[k],
    message: (c, k, p) => `${p} draws ${f1(c.r.kw[k])} kW, over 1.3 × rated for 5 min`,
  },
  {
    code: 'B-05', group: 'B', name: 'Pump under-loaded — abnormally low power', severity: 'WARNING', scope: 'pump',
    condition: 'Px_ONOFF=1, flow>0, Px_KWH < rated_kw × 0.4 for >10 min',
    onDelayMin: 10, offDelayMin: 5, clear: 'Power above 0.45 × rated for 5 min', constants: ['rated_kw'], signals: [ONOFF, FIT, KW],
    hint: 'Worn impeller, cavitation or a broken coupling: the motor does little work.',
    test: (c, k) => on(c, k) && flow(c) > 0 && kwOf(c, k) > 0 && kwOf(c, k) < c.ratedKw[k] * 0.4,
    clearTest: (c, k) => !on(c, k) || kwOf(c, k) > c.ratedKw[k] * 0.45,
    value: (c, k) => c.r.kw[k],
    message: (c, k, p) => `${p} draws only ${f1(c.r.kw[k])} kW (< 0.4 × rated) for 10 min`,
  },
  {
    code: 'B-06', group: 'B', name: 'Pump drawing power without command', severity: 'HIGH', scope: 'pump',
    condition: 'Px_ONOFF=0 but Px_KWH>0 for >2 min',
    onDelayMin: 2, offDelayMin: 1, clear: 'Power back to 0', constants: [], signals: [ONOFF, KW],
    hint: 'Welded contactor or hand mode at the MCC: the PLC no longer controls this pump.',
    test: (c, k) => c.r.on[k] === false && kwOf(c, k) > 0,
    value: (c, k) => c.r.kw[k],
    message: (c, k, p) => `${p} commanded OFF but draws ${f1(c.r.kw[k])} kW`,
  },
  {
    code: 'B-07', group: 'B', name: 'All pumps simultaneously tripped', severity: 'CRITICAL', scope: 'station',
    condition: 'All Px_ONOFF=1, all KWH=0, pumps_on_count=0',
    onDelayMin: 2, offDelayMin: 1, clear: 'A commanded pump draws power', constants: [], signals: [ONOFF, KW],
    hint: 'Every running pump lost power at once: supply or common protection, not the pumps.',
    decision: 'The seed text contradicts itself; read as: two or more pumps commanded ON and none of them draws power.',
    test: (c) => c.pumpsOn >= 2 && c.pumpsTripped === c.pumpsOn,
    value: (c) => c.pumpsOn,
    message: (c) => `All ${c.pumpsOn} commanded pumps draw 0 kW`,
  },
  // C — Flow anomalies
  {
    code: 'C-01', group: 'C', name: 'Flow detected — no pumps running', severity: 'HIGH', scope: 'station',
    condition: 'FIT101_PER_HR>0.1, pumps_on_count=0, all KWH=0 for >3 min',
    onDelayMin: 3, offDelayMin: 2, clear: 'Flow back to 0 or a pump runs', constants: [], signals: [FIT, ONOFF, KW],
    hint: 'Back-flow through a failed check valve, or a meter offset: compare with the tank level.',
    test: (c) => flow(c) > 0.1 && c.pumpsOn === 0 && c.totalKw === 0,
    value: (c) => c.r.flow,
    message: (c) => `FIT101 reads ${f1(c.r.flow)} with no pump running`,
  },
  {
    code: 'C-02', group: 'C', name: 'Flow spike — sudden large increase', severity: 'WARNING', scope: 'station',
    condition: 'flow_z_score > +3.5 AND flow_diff > avg_flow × 0.5 in one minute',
    onDelayMin: 0, offDelayMin: 5, clear: 'Flow back within 3 σ of the flow expected for the pumps running', constants: [], signals: [FIT, ONOFF],
    hint: 'A burst downstream or a meter fault: flow far above what the running pumps deliver.',
    decision: 'Compared with the flow expected for the number of pumps running (learned), so a pump start is not a spike.',
    test: (c) => c.expectedFlow !== null && c.expectedFlowSd !== null && flow(c) - c.expectedFlow > Math.max(3.5 * c.expectedFlowSd, 0.5 * c.expectedFlow),
    clearTest: (c) => c.expectedFlow === null || flow(c) - c.expectedFlow < 3 * (c.expectedFlowSd ?? 0) + 0.25 * c.expectedFlow,
    value: (c) => c.r.flow,
    message: (c) => `Flow ${f1(c.r.flow)} far above the ${f1(c.expectedFlow)} expected for ${c.pumpsOn} pumps`,
  },
  {
    code: 'C-03', group: 'C', name: 'Flow crash — sudden large decrease', severity: 'HIGH', scope: 'station',
    condition: 'flow_z_score < −3.5 while pumps are ON and KWH is normal',
    onDelayMin: 1, offDelayMin: 5, clear: 'Flow back within 3 σ of the expected flow', constants: ['rated_kw'], signals: [FIT, ONOFF, KW],
    hint: 'Pumps draw normal power but deliver far less: blockage, closed valve or a burst suction.',
    decision: 'Compared with the flow expected for the pumps running, not a rolling z-score, so a pump stop is not a crash; zero flow is B-02/B-03.',
    test: (c) =>
      c.expectedFlow !== null && c.expectedFlowSd !== null && c.pumpsOn > 0 && flow(c) > 0 &&
      c.expectedFlow - flow(c) > Math.max(3.5 * c.expectedFlowSd, 0.5 * c.expectedFlow) &&
      c.r.on.every((v, k) => v !== true || kwOf(c, k) > 0.4 * c.ratedKw[k]),
    clearTest: (c) => c.expectedFlow === null || c.pumpsOn === 0 || c.expectedFlow - flow(c) < 3 * (c.expectedFlowSd ?? 0) + 0.25 * c.expectedFlow,
    value: (c) => c.r.flow,
    message: (c) => `Flow ${f1(c.r.flow)} far below the ${f1(c.expectedFlow)} expected for ${c.pumpsOn} pumps at normal power`,
  },
  {
    code: 'C-04', group: 'C', name: 'Gradual flow decline — clogging trend', severity: 'WARNING', scope: 'station',
    condition: 'hourly_profile avg_flow down >15% over 48 hrs while total_kwh stable or rising',
    onDelayMin: 60, offDelayMin: 60, clear: 'Flow per kW within 10 % of the day before', constants: [], signals: [FIT, KW],
    hint: 'Flow per kWh falls day on day: screens, strainers or impellers clogging.',
    decision: 'Compares flow per kW of the last 24 h with the 24 h before, so a quieter day of demand is not a decline.',
    test: (c) => c.flow24h !== null && c.flowPrev24h !== null && c.kw24h !== null && c.kwPrev24h !== null && c.kw24h > 0 && c.kwPrev24h > 0 &&
      c.kw24h >= 0.98 * c.kwPrev24h && c.flow24h / c.kw24h < 0.85 * (c.flowPrev24h / c.kwPrev24h),
    clearTest: (c) => c.flow24h === null || c.flowPrev24h === null || !c.kw24h || !c.kwPrev24h || c.flow24h / c.kw24h > 0.9 * (c.flowPrev24h / c.kwPrev24h),
    value: (c) => c.flow24h,
    message: (c) => `Flow per kW down over 15 % on the day before (${f1(c.flow24h)} vs ${f1(c.flowPrev24h)})`,
  },
  {
    code: 'C-05', group: 'C', name: 'Night flow — no pumps commanded', severity: 'WARNING', scope: 'station',
    condition: 'hour BETWEEN 22 AND 5, FIT101>0.2, pumps_on_count=0, all KWH=0',
    onDelayMin: 0, offDelayMin: 2, clear: 'Flow back to 0 or a pump runs', constants: [], signals: [FIT, ONOFF, KW],
    hint: 'Flow at night with every pump off: leak through a check valve or an unauthorised draw.',
    test: (c) => (c.hour >= 22 || c.hour <= 5) && flow(c) > 0.2 && c.pumpsOn === 0 && c.totalKw === 0,
    value: (c) => c.r.flow,
    message: (c) => `Night flow ${f1(c.r.flow)} with no pump commanded`,
  },
  {
    code: 'C-06', group: 'C', name: 'Flow sensor frozen — stuck reading', severity: 'WARNING', scope: 'station',
    condition: 'FIT101_PER_HR identical for >15 consecutive min while ONOFF states change',
    onDelayMin: 0, offDelayMin: 0, clear: 'The reading changes', constants: [], signals: [FIT, ONOFF],
    hint: 'The flow reading ignores pump starts and stops: check the transmitter and its loop.',
    test: (c) => c.flowFrozenMinutes > 15 && c.onOffChangedWhileFlowFrozen,
    value: (c) => c.r.flow,
    message: (c) => `FIT101 stuck at ${f1(c.r.flow)} for ${Math.round(c.flowFrozenMinutes)} min while pumps changed state`,
  },
  {
    code: 'C-07', group: 'C', name: 'Daily flow total not advancing', severity: 'WARNING', scope: 'station',
    condition: 'FIT101_DAY_TOTAL unchanged for >30 min while FIT101_PER_HR > 0',
    onDelayMin: 0, offDelayMin: 0, clear: 'The total advances', constants: [], signals: ['FIT101_HR.DAY_TOTAL', FIT],
    hint: 'The totaliser stopped while flow is measured: PLC totaliser block or its input.',
    test: (c) => c.dayTotalFrozenMinutes > 30 && flow(c) > 0,
    value: (c) => c.r.dayTotal,
    message: (c) => `Day total stuck at ${f1(c.r.dayTotal)} for ${Math.round(c.dayTotalFrozenMinutes)} min with flow ${f1(c.r.flow)}`,
  },
  // D — HLT tank
  {
    code: 'D-01', group: 'D', name: 'HLT critically low — emergency', severity: 'CRITICAL', scope: 'station',
    condition: 'hlt_pct < 15% AND hlt_diff < 0 for >5 min',
    onDelayMin: 5, offDelayMin: 5, clear: 'HLT above 17 % for 5 min', constants: ['hlt_physical_max'], signals: [HLT],
    hint: 'Service at risk within minutes: start standby pumps, restrict demand.',
    decision: 'Falling over the last 10 minutes rather than every single minute, so sensor noise does not reset the delay.',
    test: (c) => c.hltPct !== null && c.hltPct < 15 && (c.levelChange10 ?? c.hltDiff ?? 0) < 0,
    clearTest: (c) => c.hltPct !== null && c.hltPct > 17,
    value: (c) => c.hltPct,
    message: (c) => `HLT at ${f1(c.hltPct)} % and falling`,
  },
  {
    code: 'D-02', group: 'D', name: 'HLT empty — service disruption', severity: 'CRITICAL', scope: 'station',
    condition: 'HLT101_OUTPUT < 2% of hlt_physical_max for >2 min',
    onDelayMin: 2, offDelayMin: 5, clear: 'HLT above 3 % for 5 min', constants: ['hlt_physical_max'], signals: [HLT],
    hint: 'The tank is empty: supply is interrupted downstream.',
    test: (c) => c.r.level !== null && c.r.level < 0.02 * c.station.hlt_physical_max,
    clearTest: (c) => c.r.level !== null && c.r.level > 0.03 * c.station.hlt_physical_max,
    value: (c) => c.r.level,
    message: (c) => `HLT empty (${f1(c.r.level)})`,
  },
  {
    code: 'D-03', group: 'D', name: 'HLT overflow risk', severity: 'HIGH', scope: 'station',
    condition: 'hlt_pct > 90%, pumps_on_count>0, hlt_diff>0',
    onDelayMin: 2, offDelayMin: 5, clear: 'HLT under 88 % or no pump running, for 5 min', constants: ['hlt_physical_max'], signals: [HLT, ONOFF], dependsOn: ['D-06'],
    hint: 'Pumps keep filling a nearly full tank: stop pumps, check the high-level switch.',
    decision: 'Not while D-06 says the level reading itself is impossible: a bad sensor is one alert, not two.',
    test: (c, _k, active) => c.hltPct !== null && c.hltPct > 90 && c.pumpsOn > 0 && (c.levelChange10 ?? c.hltDiff ?? 0) > 0 && !active('D-06'),
    clearTest: (c, _k, active) => c.pumpsOn === 0 || (c.hltPct !== null && c.hltPct < 88) || active('D-06'),
    value: (c) => c.hltPct,
    message: (c) => `HLT at ${f1(c.hltPct)} % and still filling with ${c.pumpsOn} pumps`,
  },
  {
    code: 'D-04', group: 'D', name: 'HLT falling fast — high drain rate', severity: 'HIGH', scope: 'station',
    condition: 'hlt_diff < −2 units/min while pumps_on_count=0',
    onDelayMin: 1, offDelayMin: 5, clear: 'Drain rate under 1.5 units/min for 5 min', constants: [], signals: [HLT, ONOFF],
    hint: 'Draining faster than any normal demand: burst main or a drain valve open.',
    test: (c) => c.pumpsOn === 0 && c.hltDiff !== null && c.hltDiff < -2,
    clearTest: (c) => c.pumpsOn > 0 || (c.hltDiff !== null && c.hltDiff > -1.5),
    value: (c) => c.hltDiff,
    message: (c) => `HLT falling ${f1(-(c.hltDiff ?? 0))} units/min with no pump running`,
  },
  {
    code: 'D-05', group: 'D', name: 'HLT not rising despite pumps ON', severity: 'HIGH', scope: 'station',
    condition: '≥3 pumps ON with KWH>0 but hlt_diff ≤ 0 for >10 min',
    onDelayMin: 0, offDelayMin: 5, clear: 'The level rises, or fewer than 3 pumps run', constants: [], signals: [HLT, ONOFF, KW],
    hint: 'Three pumps and the tank does not fill: demand surge, burst, or pumps delivering little.',
    decision: 'Three or more pumps have run for 10 minutes and the level has not risen over those 10 minutes (not each minute, which noise would flip).',
    test: (c) => c.minutesAtThreePlus >= 10 && c.pumpsDrawing >= 3 && c.levelChange10 !== null && c.levelChange10 <= 0,
    value: (c) => c.levelChange10,
    message: (c) => `${c.pumpsOn} pumps running but HLT has not risen in 10 min`,
  },
  {
    code: 'D-06', group: 'D', name: 'HLT level sensor out of range', severity: 'HIGH', scope: 'station',
    condition: 'HLT101_OUTPUT < 0 or > hlt_physical_max × 1.05',
    onDelayMin: 0, offDelayMin: 2, clear: 'Reading back in range', constants: ['hlt_physical_max'], signals: [HLT],
    hint: 'An impossible level: transmitter, scaling or cabling fault.',
    test: (c) => c.r.level !== null && (c.r.level < 0 || c.r.level > c.station.hlt_physical_max * 1.05),
    value: (c) => c.r.level,
    message: (c) => `HLT101 reads ${f1(c.r.level)}, outside 0..${f1(c.station.hlt_physical_max * 1.05)}`,
  },
  {
    code: 'D-07', group: 'D', name: 'HLT level frozen — sensor stuck', severity: 'WARNING', scope: 'station',
    condition: 'HLT101_OUTPUT identical for >20 consecutive min while pumps change state',
    onDelayMin: 0, offDelayMin: 0, clear: 'The reading changes', constants: [], signals: [HLT, ONOFF],
    hint: 'The level ignores pump starts and stops: check the level transmitter.',
    test: (c) => c.levelFrozenMinutes > 20 && c.onOffChangedWhileLevelFrozen,
    value: (c) => c.r.level,
    message: (c) => `HLT101 stuck at ${f1(c.r.level)} for ${Math.round(c.levelFrozenMinutes)} min while pumps changed state`,
  },
  // E — Runtime and wear
  {
    code: 'E-01', group: 'E', name: 'Pump overrun — continuous run exceeded', severity: 'WARNING', scope: 'pump',
    condition: 'pump_sessions: single session duration_min > 1200 (20 hours)',
    onDelayMin: 0, offDelayMin: 0, clear: 'The pump stops', constants: [], signals: [ONOFF],
    hint: 'Duty is not rotating or demand exceeds the design: check the PLC alternation.',
    test: (c, k) => c.runMinutes[k] > 1200,
    value: (c, k) => c.runMinutes[k],
    message: (c, k, p) => `${p} has run ${Math.round(c.runMinutes[k] / 60)} h without stopping`,
  },
  {
    code: 'E-02', group: 'E', name: 'All pumps ON simultaneously — extended', severity: 'WARNING', scope: 'station',
    condition: 'pumps_on_count=6 for >120 min AND hlt_diff ≤ 0 (not filling)',
    onDelayMin: 120, offDelayMin: 5, clear: 'Fewer than six pumps, or the tank fills', constants: [], signals: [ONOFF, HLT],
    hint: 'No reserve left and the tank still does not fill: demand beyond capacity or a loss.',
    test: (c) => c.pumpsOn === 6 && (c.levelChange30 ?? 0) <= 0,
    value: (c) => c.levelChange30,
    message: () => 'All six pumps running for 2 h and the tank is not filling',
  },
  {
    code: 'E-03', group: 'E', name: 'Short cycling — single pump', severity: 'WARNING', scope: 'pump',
    condition: 'Pump start_count > 4 in 60 min window AND avg session duration < 5 min',
    onDelayMin: 0, offDelayMin: 10, clear: '4 starts or fewer in the last hour', constants: [], signals: [ONOFF], dependsOn: ['E-04'],
    hint: 'Contactor wear: widen the level band or check the level switch.',
    test: (c, k, active) => c.startsLastHour[k] > 4 && (c.meanRunLastHour[k] ?? 0) < 5 && !active('E-04', k),
    clearTest: (c, k) => c.startsLastHour[k] <= 4,
    value: (c, k) => c.startsLastHour[k],
    message: (c, k, p) => `${p} started ${c.startsLastHour[k]} times in an hour`,
  },
  {
    code: 'E-04', group: 'E', name: 'Rapid short cycling — imminent failure', severity: 'HIGH', scope: 'pump',
    condition: 'Pump start_count > 10 in 60 min window AND avg session duration < 3 min',
    onDelayMin: 0, offDelayMin: 10, clear: '10 starts or fewer in the last hour', constants: [], signals: [ONOFF],
    hint: 'The motor overheats at this start rate: lock the pump out until the control fault is found.',
    test: (c, k) => c.startsLastHour[k] > 10 && (c.meanRunLastHour[k] ?? 0) < 3,
    clearTest: (c, k) => c.startsLastHour[k] <= 10,
    value: (c, k) => c.startsLastHour[k],
    message: (c, k, p) => `${p} started ${c.startsLastHour[k]} times in an hour, runs under 3 min`,
  },
  {
    code: 'E-05', group: 'E', name: 'Pump efficiency degrading — maintenance due', severity: 'INFO', scope: 'pump',
    condition: 'pump_health: efficiency_slope_7d negative AND avg_flow_per_kwh < 80% of 7-day baseline',
    onDelayMin: 0, offDelayMin: 60, clear: 'm³/kWh back above 85 % of its 7-day mean', constants: [], signals: [FIT, KW, ONOFF],
    hint: 'Plan an inspection: wear ring clearance, impeller wear, motor condition.',
    test: (c, k) => (c.efficiencySlope7d[k] ?? 0) < 0 && c.efficiencyRatio[k] !== null && c.efficiencyRatio[k]! < 0.8,
    clearTest: (c, k) => c.efficiencyRatio[k] === null || c.efficiencyRatio[k]! > 0.85,
    value: (c, k) => c.efficiencyRatio[k],
    message: (c, k, p) => `${p} delivers ${f1((c.efficiencyRatio[k] ?? 0) * 100)} % of its 7-day m³/kWh, trending down`,
  },
  // F — Data quality
  {
    code: 'F-01', group: 'F', name: 'Data gap — short comms dropout', severity: 'INFO', scope: 'station', event: true,
    condition: 'Time since last valid reading row: >5 min and ≤30 min',
    onDelayMin: 0, offDelayMin: 0, clear: 'Event (the span is the gap)', constants: [], signals: ['Timestamp'],
    hint: 'Check the historian link if this repeats.',
    test: (c) => c.gapMinutes > 5 && c.gapMinutes <= 30,
    value: (c) => c.gapMinutes - 1,
    message: (c) => `No readings for ${c.gapMinutes - 1} min`,
  },
  {
    code: 'F-02', group: 'F', name: 'Data gap — extended outage', severity: 'HIGH', scope: 'station', event: true,
    condition: 'Time since last valid reading row: >30 min',
    onDelayMin: 0, offDelayMin: 0, clear: 'Event (the span is the gap)', constants: [], signals: ['Timestamp'],
    hint: 'The historian or PLC link was down: nothing in this span was monitored.',
    test: (c) => c.gapMinutes > 30,
    value: (c) => c.gapMinutes - 1,
    message: (c) => `No readings for ${c.gapMinutes - 1} min`,
  },
  {
    code: 'F-03', group: 'F', name: 'Flow sensor stuck — frozen reading', severity: 'WARNING', scope: 'station',
    condition: 'FIT101_PER_HR unchanged for >15 min while ONOFF states change',
    onDelayMin: 0, offDelayMin: 0, clear: 'The reading changes', constants: [], signals: [FIT, ONOFF], dependsOn: ['C-06'],
    hint: 'A live flow reading never repeats exactly for 15 minutes while pumps run.',
    decision: 'The seed repeats C-06 here; F-03 instead catches a reading frozen for 15 min while pumps run steadily (no state change needed), which C-06 cannot see.',
    test: (c, _k, active) => c.flowFrozenMinutes > 15 && c.pumpsOn > 0 && flow(c) > 0 && !active('C-06'),
    value: (c) => c.r.flow,
    message: (c) => `FIT101 has read exactly ${f1(c.r.flow)} for ${Math.round(c.flowFrozenMinutes)} min while pumps run`,
  },
  {
    code: 'F-04', group: 'F', name: 'HLT sensor stuck — frozen reading', severity: 'WARNING', scope: 'station',
    condition: 'HLT101_OUTPUT unchanged for >20 min while pumps change state',
    onDelayMin: 0, offDelayMin: 0, clear: 'The reading changes', constants: [], signals: [HLT, ONOFF], dependsOn: ['D-07'],
    hint: 'A live level reading never repeats exactly for 20 minutes while pumps run.',
    decision: 'The seed repeats D-07 here; F-04 catches a level frozen for 20 min while pumps run steadily.',
    test: (c, _k, active) => c.levelFrozenMinutes > 20 && c.pumpsOn > 0 && !active('D-07'),
    value: (c) => c.r.level,
    message: (c) => `HLT101 has read exactly ${f1(c.r.level)} for ${Math.round(c.levelFrozenMinutes)} min while pumps run`,
  },
  {
    code: 'F-05', group: 'F', name: 'Impossible sensor value', severity: 'HIGH', scope: 'station',
    condition: 'FIT101<0 or >fit_max; HLT101<0 or >hlt_max×1.05',
    onDelayMin: 0, offDelayMin: 2, clear: 'Reading back in range', constants: ['fit101_physical_max'], signals: [FIT],
    hint: 'A flow the meter cannot measure: scaling or transmitter fault.',
    decision: 'Flow only; the level half of the seed rule is D-06, so one fault raises one alert.',
    test: (c) => c.r.flow !== null && (c.r.flow < 0 || c.r.flow > c.station.fit101_physical_max),
    value: (c) => c.r.flow,
    message: (c) => `FIT101 reads ${f1(c.r.flow)}, outside 0..${f1(c.station.fit101_physical_max)}`,
  },
  {
    code: 'F-06', group: 'F', name: 'kWh reading anomaly', severity: 'WARNING', scope: 'pump',
    condition: 'Px_KWH > rated_kw × 2.0 or Px_KWH negative while Px_ONOFF=1',
    onDelayMin: 0, offDelayMin: 2, clear: 'Reading back in range', constants: ['rated_kw'], signals: [KW, ONOFF],
    hint: 'The energy meter reading is impossible for this motor: meter or scaling fault.',
    test: (c, k) => kwOf(c, k) > c.ratedKw[k] * 2 || (on(c, k) && kwOf(c, k) < 0),
    value: (c, k) => c.r.kw[k],
    message: (c, k, p) => `${p} energy reading ${f1(c.r.kw[k])} kW is impossible`,
  },
  {
    code: 'F-07', group: 'F', name: 'Duplicate timestamp detected', severity: 'INFO', scope: 'station', event: true,
    condition: 'Two rows in readings_wide share the same Timestamp value',
    onDelayMin: 0, offDelayMin: 0, clear: 'Event', constants: [], signals: ['Timestamp'],
    hint: 'The source repeats or reorders minutes; check the export or the edge input.',
    decision: 'readings_wide cannot hold a duplicate (ingest keeps one row per minute and counts superseded samples); the engine raises F-07 when a stream repeats or goes back in time.',
    test: (c) => c.gapMinutes <= 0,
    value: (c) => c.gapMinutes,
    message: () => 'A minute arrived twice or out of order',
  },
  // G — Energy efficiency
  {
    code: 'G-01', group: 'G', name: 'Pumping during peak tariff — tank full', severity: 'WARNING', scope: 'station',
    condition: 'is_peak_hour=1, hlt_pct>80%, pumps_on_count>0, hlt_diff>0',
    onDelayMin: 5, offDelayMin: 5, clear: 'Off-peak, pumps off, or HLT under 78 %', constants: ['hlt_physical_max'], signals: [HLT, ONOFF],
    hint: 'Filling a full tank at peak tariff: lower the peak-hour set points.',
    test: (c) => c.isPeak && c.hltPct !== null && c.hltPct > 80 && c.pumpsOn > 0 && (c.levelChange10 ?? c.hltDiff ?? 0) > 0,
    clearTest: (c) => !c.isPeak || c.pumpsOn === 0 || (c.hltPct !== null && c.hltPct < 78),
    value: (c) => c.hltPct,
    message: (c) => `Pumping at peak tariff with the tank at ${f1(c.hltPct)} %`,
  },
  {
    code: 'G-02', group: 'G', name: 'Energy consumed with zero flow', severity: 'HIGH', scope: 'station',
    condition: 'total_kw>0 but FIT101_PER_HR=0 for >5 min',
    onDelayMin: 5, offDelayMin: 1, clear: 'Flow returns or no power is drawn', constants: [], signals: [KW, FIT], dependsOn: ['B-02', 'B-03'],
    hint: 'Energy is being spent for nothing: see B-02 / B-03 for the pump.',
    decision: 'Not raised while B-02 or B-03 already names the fault.',
    test: (c, _k, active) => c.totalKw > 0 && flow(c) === 0 && !active('B-03') && ![0, 1, 2, 3, 4, 5].some((k) => active('B-02', k)),
    value: (c) => c.totalKw,
    message: (c) => `${f1(c.totalKw)} kW drawn with no flow for 5 min`,
  },
  {
    code: 'G-03', group: 'G', name: 'Pump efficiency drop — below slope baseline', severity: 'INFO', scope: 'pump',
    condition: 'pump_health: efficiency_slope_7d negative trend AND avg_flow_per_kwh < 80% of rolling avg',
    onDelayMin: 0, offDelayMin: 0, clear: 'E-05 clears or the pump stops', constants: [], signals: [FIT, KW], dependsOn: ['E-05'],
    hint: 'This degraded pump is running now: prefer another pump in the rotation.',
    decision: 'The seed repeats E-05; G-03 is its energy view: E-05 is active for the pump and the pump is running now.',
    test: (c, k, active) => active('E-05', k) && on(c, k),
    value: (c, k) => c.efficiencyRatio[k],
    message: (_c, _k, p) => `${p} runs while degraded (E-05): energy is being wasted`,
  },
  {
    code: 'G-04', group: 'G', name: 'Daily energy budget exceeded', severity: 'INFO', scope: 'station',
    condition: 'Cumulative daily total_kwh > configured_daily_budget_kwh',
    onDelayMin: 0, offDelayMin: 0, clear: 'A new day begins', constants: ['daily_energy_budget_kwh'], signals: [KW],
    hint: 'Today used more than budgeted: review pump scheduling and tariff use.',
    test: (c) => c.energyTodayKwh > c.station.daily_energy_budget_kwh,
    value: (c) => c.energyTodayKwh,
    message: (c) => `${f1(c.energyTodayKwh)} kWh today, over the ${f1(c.station.daily_energy_budget_kwh)} kWh budget`,
  },
  // H — Cascade events (use the state of the rules they combine)
  {
    code: 'H-01', group: 'H', name: 'Power outage AND tank draining fast', severity: 'CRITICAL', scope: 'station',
    condition: 'A-01 active AND hlt_diff < −1.5 units/min AND hlt_pct < 50%',
    onDelayMin: 0, offDelayMin: 2, clear: 'A-01 clears or the drain slows', constants: ['hlt_physical_max'], signals: [HLT], dependsOn: ['A-01'],
    hint: 'No pumps and a fast drain below half: start emergency supply now.',
    test: (c, _k, active) => active('A-01') && c.hltDiff !== null && c.hltDiff < -1.5 && c.hltPct !== null && c.hltPct < 50,
    value: (c) => c.hltDiff,
    message: (c) => `Outage with the tank at ${f1(c.hltPct)} % draining ${f1(-(c.hltDiff ?? 0))} units/min`,
  },
  {
    code: 'H-02', group: 'H', name: 'Multiple pumps tripped — HLT low', severity: 'CRITICAL', scope: 'station',
    condition: '≥3 pumps ONOFF=1 with KWH=0 (B-01) AND hlt_pct < 40%',
    onDelayMin: 0, offDelayMin: 2, clear: 'Fewer than 3 tripped or HLT ≥ 40 %', constants: ['hlt_physical_max'], signals: [ONOFF, KW, HLT], dependsOn: ['B-01', 'A-02', 'B-07'],
    hint: 'Most of the station is tripped with the tank low: dispatch now.',
    test: (c, _k, active) => (active('A-02') || active('B-07') || [0, 1, 2, 3, 4, 5].filter((k) => active('B-01', k)).length >= 3) && c.pumpsTripped >= 3 && c.hltPct !== null && c.hltPct < 40,
    value: (c) => c.hltPct,
    message: (c) => `${c.pumpsTripped} pumps tripped with the tank at ${f1(c.hltPct)} %`,
  },
  {
    code: 'H-03', group: 'H', name: 'All pumps faulted — tank critical', severity: 'CRITICAL', scope: 'station',
    condition: 'pumps_on_count=0, all KWH=0, all tripped or off, hlt_pct < 25%',
    onDelayMin: 2, offDelayMin: 5, clear: 'A pump runs or HLT ≥ 27 %', constants: ['hlt_physical_max'], signals: [ONOFF, KW, HLT],
    hint: 'Nothing is pumping and the tank is under a quarter: service will stop.',
    test: (c) => c.pumpsOn === 0 && c.totalKw === 0 && c.hltPct !== null && c.hltPct < 25,
    clearTest: (c) => c.totalKw > 0 || (c.hltPct !== null && c.hltPct > 27),
    value: (c) => c.hltPct,
    message: (c) => `No pump running with the tank at ${f1(c.hltPct)} %`,
  },
  {
    code: 'H-04', group: 'H', name: 'Night flow — no pumps — sustained', severity: 'HIGH', scope: 'station',
    condition: 'hour BETWEEN 22–5, FIT101>0.3, pumps_on_count=0 for >15 min',
    onDelayMin: 15, offDelayMin: 2, clear: 'C-05 clears', constants: [], signals: [FIT, ONOFF], dependsOn: ['C-05'],
    hint: 'Sustained night flow with no pump: a leak or theft; investigate on site.',
    test: (c, _k, active) => active('C-05') && flow(c) > 0.3,
    value: (c) => c.r.flow,
    message: (c) => `Night flow ${f1(c.r.flow)} for 15 min with no pump commanded`,
  },
  {
    code: 'H-05', group: 'H', name: 'Pump overrun AND efficiency dropping', severity: 'WARNING', scope: 'pump',
    condition: 'E-01 active (session>20 hrs) AND pump_health efficiency_slope_7d is declining',
    onDelayMin: 0, offDelayMin: 0, clear: 'E-01 clears', constants: [], signals: [ONOFF, FIT, KW], dependsOn: ['E-01'],
    hint: 'A pump that never rests and is getting worse: rotate duty and plan maintenance.',
    test: (c, k, active) => active('E-01', k) && (c.efficiencySlope7d[k] ?? 0) < 0,
    value: (c, k) => c.efficiencySlope7d[k],
    message: (_c, _k, p) => `${p} overrunning while its efficiency declines`,
  },
];

/** The rules in an order where every rule comes after those it depends on. */
export function evaluationOrder(rules: AlertRule[] = RULES): AlertRule[] {
  const byCode = new Map(rules.map((r) => [r.code, r]));
  const ordered: AlertRule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (rule: AlertRule) => {
    if (state.get(rule.code) === 'done') return;
    if (state.get(rule.code) === 'visiting') throw new Error(`alert rules depend on each other in a cycle at ${rule.code}`);
    state.set(rule.code, 'visiting');
    for (const code of rule.dependsOn ?? []) visit(byCode.get(code)!);
    state.set(rule.code, 'done');
    ordered.push(rule);
  };
  rules.forEach(visit);
  return ordered;
}
