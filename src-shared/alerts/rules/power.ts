import type { AlertRule } from '../rule';
import { f1 } from '../rule';
import {
  flowIsZero,
  kwOf,
  notRunning,
  on,
  pumpsWanted,
  rangePerMinute,
  ranWholeRow,
  ranWholeRowBefore,
} from './context';

// A — Power supply, B — Pump faults (seed 002 §8.4-8.5).

const RUN = 'run state';
const KW = 'pump kW';
const LEVEL = 'level';
const FLOW = 'flow';

export const POWER_RULES: AlertRule[] = [
  {
    code: 'A-01',
    group: 'A',
    name: 'Complete power outage',
    severity: 'CRITICAL',
    scope: 'station',
    condition: 'All Px_ONOFF=0 and all Px_KWH=0 suddenly while HLT is falling',
    lift: { condition: 'All pumps stop and draw 0 kW suddenly while the wet well rises' },
    onDelayMin: 0,
    offDelayMin: 0,
    clear: 'Any pump draws power again',
    constants: [],
    needs: ['run', 'kw'],
    signals: [RUN, KW, LEVEL],
    hint: 'Check the incoming supply and the MCC; no pump is available.',
    decision:
      '"Suddenly" = two or more pumps lose run state and power in the same row (or the last one with under 40 % reserve); a PLC stops pumps one at a time. The level must not be moving the way the pumps move it (a missing level does not hold it back).',
    test: (c) => c.outageSince !== null && (c.pumpedRate === null || c.pumpedRate < rangePerMinute(c, 0.1)),
    clearTest: (c) => c.totalKw !== null && c.totalKw > 0,
    value: (c) => c.levelPct,
    valueUnit: '%',
    message: (c) =>
      `All pumps lost power; ${c.words.basin} at ${f1(c.levelPct)} % and ${c.words.kind === 'lift' ? 'rising' : 'falling'}`,
  },
  {
    code: 'A-02',
    group: 'A',
    name: 'Partial power failure — circuit lost',
    severity: 'CRITICAL',
    scope: 'station',
    condition: 'One Px_ONOFF=1 but Px_KWH=0; other pumps draw normal KWH',
    onDelayMin: 1,
    offDelayMin: 1,
    clear: 'Every commanded pump draws power',
    constants: [],
    needs: ['run', 'kw'],
    signals: [RUN, KW],
    hint: 'A supply circuit feeding several motors is lost; check breakers on that circuit.',
    decision:
      'Two or more commanded pumps at 0 kW while another draws power; one pump alone is B-01 (tripped), so one fault raises one CRITICAL.',
    test: (c) => c.pumpsTripped >= 2 && c.pumpsDrawing > 0,
    value: (c) => c.pumpsTripped,
    valueUnit: 'pumps',
    message: (c) => `${c.pumpsTripped} commanded pumps draw no power while others run: circuit lost`,
  },
  {
    code: 'A-03',
    group: 'A',
    name: 'Power restored after outage',
    severity: 'INFO',
    scope: 'station',
    event: true,
    condition: 'Transition: all KWH=0 (A-01 active) → any KWH>0 within 60 min',
    onDelayMin: 0,
    offDelayMin: 0,
    clear: 'Event',
    constants: [],
    needs: ['kw'],
    signals: [KW],
    dependsOn: ['A-01'],
    hint: 'Confirm pumps restarted in sequence and the level recovers.',
    test: (c) => c.outageEndedAt === c.r.time,
    value: (c) => c.totalKw,
    valueUnit: 'kW',
    message: (c) => `Power restored: ${f1(c.totalKw)} kW drawn again`,
  },
  {
    code: 'A-04',
    group: 'A',
    name: 'Power fluctuation — unstable supply',
    severity: 'WARNING',
    scope: 'pump',
    condition: 'Px_KWH varies >30% in consecutive minutes without any ONOFF change',
    onDelayMin: 0,
    offDelayMin: 10,
    clear: 'No swing over 30 % for 10 min',
    constants: [],
    needs: ['run', 'kw', 'fixed_speed'],
    signals: [KW, RUN],
    hint: 'Log supply voltage; check the drive and contactor of this pump.',
    test: (c, k) => {
      const prev = c.prevKw[k];
      const now = kwOf(c, k);
      if (!(on(c, k) && prev !== null && prev > 0 && now !== null && now > 0 && Math.abs(now - prev) / prev > 0.3))
        return false;
      // A row with a start or stop in it averages part of a run: no swing of the supply.
      if (!ranWholeRow(c, k) || !ranWholeRowBefore(c, k)) return false;
      return c.r.on.every((v, j) => (v === true) === (c.prevOn[j] === true));
    },
    value: (c, k) => kwOf(c, k),
    valueUnit: 'kW',
    message: (c, k, p) => `${p} power swings over 30 % between rows (now ${f1(c.r.kw[k])} kW)`,
  },
  {
    code: 'A-05',
    group: 'A',
    name: 'Electricity present — no pumps commanded',
    severity: 'INFO',
    scope: 'station',
    condition: 'KWH>0 confirmed in history, but all ONOFF=0 for >30 min and HLT<50%',
    lift: { condition: 'kW seen before, but no pump runs for >30 min with the wet well above its operating band' },
    onDelayMin: 30,
    offDelayMin: 0,
    clear: 'A pump is commanded or the level is back where the station lets it be',
    constants: ['hlt_physical_max', 'level_operating'],
    needs: ['run', 'kw', 'level'],
    signals: [RUN, KW, LEVEL],
    hint: 'Supply is available but the PLC holds every pump off: check the PLC mode.',
    decision:
      "Not in peak tariff hours, when holding pumps off is the plan. The seed's 50 % is the middle of a tank's operating band; a wet well or a tunnel fills with no pump running up to its operating high by design (levelBands).",
    test: (c) => c.kwSeenBefore && !c.isPeak && c.pumpsOn === 0 && c.outageSince === null && pumpsWanted(c),
    value: (c) => c.levelPct,
    valueUnit: '%',
    message: (c) => `No pump commanded for 30 min with the ${c.words.basin} at ${f1(c.levelPct)} %`,
  },
  // B — Pump faults
  {
    code: 'B-01',
    group: 'B',
    name: 'Pump tripped — no power despite command',
    severity: 'CRITICAL',
    scope: 'pump',
    condition: 'Px_ONOFF=1 and Px_KWH=0 sustained for >2 min (checked per pump)',
    onDelayMin: 2,
    offDelayMin: 1,
    clear: 'The pump draws power or is commanded off',
    constants: [],
    needs: ['run', 'kw'],
    signals: [RUN, KW],
    hint: 'Reset the overload relay only after finding why it tripped (seized pump, phase loss).',
    decision:
      'The only tripped pump; two or more at once are A-02 (circuit lost) or B-07 (all tripped). A missing kW is not a trip.',
    test: (c, k) => on(c, k) && kwOf(c, k) === 0 && c.pumpsTripped === 1,
    value: (c, k) => kwOf(c, k),
    valueUnit: 'kW',
    message: (_c, _k, p) => `${p} commanded ON but draws 0 kW: tripped`,
  },
  {
    code: 'B-02',
    group: 'B',
    name: 'Pump running — no flow output',
    severity: 'HIGH',
    scope: 'pump',
    condition: 'Px_ONOFF=1, Px_KWH>0, FIT101_PER_HR=0 for >5 min',
    onDelayMin: 5,
    offDelayMin: 1,
    clear: 'Flow returns or the pump stops',
    constants: [],
    needs: ['run', 'kw', 'flow'],
    signals: [RUN, KW, FLOW],
    dependsOn: ['B-03'],
    hint: 'Closed valve, air lock or broken shaft: check discharge pressure at the pump.',
    decision:
      "The pump's own flow meter where it has one, else the station's, reads exactly 0 (a missing reading is not 0); not while B-03 already names several pumps.",
    test: (c, k, active) => {
      const kw = kwOf(c, k);
      return on(c, k) && kw !== null && kw > 0 && flowIsZero(c.r.pumpFlow[k] ?? c.r.flow, c) && !active('B-03');
    },
    value: (c, k) => c.r.pumpFlow[k] ?? c.r.flow,
    valueUnit: 'flow',
    message: (c, _k, p) => `${p} draws power but ${c.words.flow} reads 0 for 5 min`,
  },
  {
    code: 'B-03',
    group: 'B',
    name: 'Multiple pumps running — still no flow',
    severity: 'CRITICAL',
    scope: 'station',
    condition: '≥2 pumps ON with KWH>0 but FIT101=0 for >3 min',
    onDelayMin: 3,
    offDelayMin: 1,
    clear: 'Flow returns',
    constants: [],
    needs: ['run', 'kw', 'flow'],
    signals: [RUN, KW, FLOW],
    hint: 'Common discharge blocked or flow meter failed: compare with the level.',
    decision: 'The flow must read exactly 0: a missing flow reading (a dropped sample) is a data gap, not a blockage.',
    test: (c) => c.pumpsDrawing >= 2 && flowIsZero(c.r.flow, c),
    value: (c) => c.r.flow,
    valueUnit: 'flow',
    message: (c) => `${c.pumpsOn} pumps running but no flow for 3 min`,
  },
  {
    code: 'B-04',
    group: 'B',
    name: 'Pump overcurrent — excessive power draw',
    severity: 'HIGH',
    scope: 'pump',
    condition: 'Px_KWH > rated_kw × 1.3 for >5 min',
    onDelayMin: 5,
    offDelayMin: 5,
    clear: 'Power under 1.25 × rated for 5 min',
    constants: ['rated_kw'],
    needs: ['kw', 'rated_kw'],
    signals: [KW],
    hint: 'Bearing or impeller rubbing, or running far right on the curve: check vibration and current balance.',
    test: (c, k) => {
      const kw = kwOf(c, k);
      const r = c.ratedKw[k];
      return kw !== null && r !== null && kw > r * 1.3 && kw <= r * 2;
    },
    clearTest: (c, k) => {
      const kw = kwOf(c, k);
      const r = c.ratedKw[k];
      return kw === null || r === null || kw < r * 1.25;
    },
    value: (c, k) => kwOf(c, k),
    valueUnit: 'kW',
    message: (c, k, p) => `${p} draws ${f1(c.r.kw[k])} kW, over 1.3 × rated for 5 min`,
  },
  {
    code: 'B-05',
    group: 'B',
    name: 'Pump under-loaded — abnormally low power',
    severity: 'WARNING',
    scope: 'pump',
    condition: 'Px_ONOFF=1, flow>0, Px_KWH < rated_kw × 0.4 for >10 min',
    onDelayMin: 10,
    offDelayMin: 5,
    clear: 'Power above 0.45 × rated for 5 min',
    constants: ['rated_kw'],
    needs: ['run', 'kw', 'rated_kw', 'flow', 'fixed_speed'],
    signals: [RUN, FLOW, KW],
    hint: 'Worn impeller, cavitation or a broken coupling: the motor does little work.',
    test: (c, k) => {
      const kw = kwOf(c, k);
      const r = c.ratedKw[k];
      const flow = c.r.pumpFlow[k] ?? c.r.flow;
      // A row the pump started or stopped in averages part of its kW: only whole running rows count.
      return (
        on(c, k) &&
        ranWholeRow(c, k) &&
        flow !== null &&
        flow > 0 &&
        kw !== null &&
        r !== null &&
        kw > 0 &&
        kw < r * 0.4
      );
    },
    clearTest: (c, k) => {
      const kw = kwOf(c, k);
      const r = c.ratedKw[k];
      return !on(c, k) || kw === null || r === null || kw > r * 0.45;
    },
    value: (c, k) => kwOf(c, k),
    valueUnit: 'kW',
    message: (c, k, p) => `${p} draws only ${f1(c.r.kw[k])} kW (< 0.4 × rated) for 10 min`,
  },
  {
    code: 'B-06',
    group: 'B',
    name: 'Pump drawing power without command',
    severity: 'HIGH',
    scope: 'pump',
    condition: 'Px_ONOFF=0 but Px_KWH>0 for >2 min',
    onDelayMin: 2,
    offDelayMin: 1,
    clear: 'Power back to 0',
    constants: [],
    needs: ['run', 'kw'],
    signals: [RUN, KW],
    hint: 'Welded contactor or hand mode at the MCC: the PLC no longer controls this pump.',
    decision:
      'On a coarse log of averages a row in which the pump started or stopped shows part of its speed and kW (a partial run): the run signal must show no running at all.',
    test: (c, k) => {
      const kw = kwOf(c, k);
      return notRunning(c, k) && kw !== null && kw > 0;
    },
    value: (c, k) => kwOf(c, k),
    valueUnit: 'kW',
    message: (c, k, p) => `${p} commanded OFF but draws ${f1(c.r.kw[k])} kW`,
  },
  {
    code: 'B-07',
    group: 'B',
    name: 'All pumps simultaneously tripped',
    severity: 'CRITICAL',
    scope: 'station',
    condition: 'All Px_ONOFF=1, all KWH=0, pumps_on_count=0',
    onDelayMin: 2,
    offDelayMin: 1,
    clear: 'A commanded pump draws power',
    constants: [],
    needs: ['run', 'kw'],
    signals: [RUN, KW],
    hint: 'Every running pump lost power at once: supply or common protection, not the pumps.',
    decision: 'The seed text contradicts itself; read as: two or more pumps commanded ON and none of them draws power.',
    test: (c) => c.pumpsOn >= 2 && c.pumpsTripped === c.pumpsOn,
    value: (c) => c.pumpsOn,
    valueUnit: 'pumps',
    message: (c) => `All ${c.pumpsOn} commanded pumps draw 0 kW`,
  },
];
