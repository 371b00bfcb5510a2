import { limitPct } from '../../station/levelBands';
import type { MinuteContext } from '../minute';
import type { AlertRule } from '../rule';
import { f1, rate } from '../rule';
import { above, Basin, below, frozenFor, levelUnit, pumpsWanted, rangePerMinute } from './context';

// D — The level (seed 002 §8.7). On a booster station the pumps fill a tank and an empty tank
// fails the service; on a lift station they empty a wet well and a full one overflows. The rules
// read `reservePct` (how far the level is from the failing end) and `pumped*` (the level's change
// in the direction the pumps move it), so one rule serves both kinds.

const LEVEL = 'level';
const RUN = 'run state';

/** The limit a D rule alarms at, in % of the range on this station (levelBands; NaN, which fires nothing, without a level). */
const limit = (c: MinuteContext, rule: 'D-01' | 'D-02' | 'D-03') =>
  (c.bands ? limitPct(c.bands, rule) : null) ?? Number.NaN;
const KW = 'pump kW';

const lift = (c: MinuteContext) => c.words.kind === 'lift';
/** The level moves toward the failing end (falling in a tank, rising in a wet well). */
const worsening = (c: MinuteContext) => below(c.pumpedChange10 ?? c.pumpedRate, 0);
/** A pump runs this row and ran the row before: on a wet well under its stop level, it runs dry (not merely stopping). */
const runningOn = (c: MinuteContext) => c.r.on.some((on, k) => on === true && c.prevOn[k] === true);
/** The level rises (over 10 minutes, else since the previous row). */
const rising = (c: MinuteContext) => {
  const change = c.levelChange10 ?? c.hltDiff;
  return change !== null && change > 0;
};

export const LEVEL_RULES: AlertRule[] = [
  {
    code: 'D-01',
    group: 'D',
    name: 'HLT critically low — emergency',
    severity: 'CRITICAL',
    scope: 'station',
    condition: 'hlt_pct < 15% AND hlt_diff < 0 for >5 min',
    lift: {
      name: 'Wet well critically high — overflow imminent',
      condition: 'level above H (85 %, or 2 % above the operating band) AND rising for >5 min',
      clear: 'Level 2 % under H for 5 min',
      hint: 'Overflow within minutes: start standby pumps, check for a blocked pump or a surge of inflow.',
    },
    onDelayMin: 5,
    offDelayMin: 5,
    clear: 'HLT 2 % above L for 5 min',
    constants: ['hlt_physical_max', 'level_operating'],
    needs: ['level'],
    signals: [LEVEL],
    hint: 'Service at risk within minutes: start standby pumps, restrict demand.',
    decision:
      "L is the bottom of the station's operating band (seed 002's 15 % when none is set; src-shared/station/levelBands.ts). Worsening over the last 10 minutes rather than every single row, so sensor noise does not reset the delay.",
    test: (c) => (lift(c) ? above : below)(c.levelPct, limit(c, 'D-01')) && worsening(c),
    clearTest: (c) =>
      c.levelPct !== null && (lift(c) ? c.levelPct < limit(c, 'D-01') - 2 : c.levelPct > limit(c, 'D-01') + 2),
    value: (c) => c.levelPct,
    valueUnit: '%',
    message: (c) => `${Basin(c)} at ${f1(c.levelPct)} % and ${lift(c) ? 'rising' : 'falling'}`,
  },
  {
    code: 'D-02',
    group: 'D',
    name: 'HLT empty — service disruption',
    severity: 'CRITICAL',
    scope: 'station',
    condition: 'HLT101_OUTPUT < 2% of hlt_physical_max for >2 min',
    lift: {
      name: 'Wet well empty — pumps running dry',
      condition: 'level under LL (2 %, or 2 % under the stop level) with a pump running on for >2 min',
      clear: 'Level 1 % above LL or no pump running, for 5 min',
      hint: 'A pump runs on an empty wet well: it cavitates and overheats. Check the stop level switch.',
    },
    onDelayMin: 2,
    offDelayMin: 5,
    clear: 'HLT 1 % above LL for 5 min',
    decision:
      'On a wet well the level overshoots the stop level while the pumps stop: a pump that ran the row before and still runs under LL runs dry; the row it stops in does not.',
    constants: ['hlt_physical_max', 'level_operating'],
    needs: ['level'],
    signals: [LEVEL, RUN],
    hint: 'The tank is empty: supply is interrupted downstream.',
    test: (c) => below(c.levelPct, limit(c, 'D-02')) && (!lift(c) || runningOn(c)),
    clearTest: (c) => (c.levelPct !== null && c.levelPct > limit(c, 'D-02') + 1) || (lift(c) && !runningOn(c)),
    value: (c) => c.r.level,
    valueUnit: 'level',
    message: (c) =>
      lift(c)
        ? `Wet well empty (${f1(c.r.level)} ${levelUnit(c)}) with ${c.pumpsOn} pumps running`
        : `${c.words.level} empty (${f1(c.r.level)} ${levelUnit(c)})`,
  },
  {
    code: 'D-03',
    group: 'D',
    name: 'HLT overflow risk',
    severity: 'HIGH',
    scope: 'station',
    condition: 'hlt_pct > 90%, pumps_on_count>0, hlt_diff>0',
    lift: {
      name: 'Wet well overflow risk',
      condition: 'level above HH (90 %, or 3 % above H) and rising (the pumps do not keep up)',
      clear: 'Level 2 % under HH for 5 min',
      hint: 'Inflow beats the pumps: start every available pump, check for a blockage.',
    },
    onDelayMin: 2,
    offDelayMin: 5,
    clear: 'HLT 2 % under HH (90 %) or no pump running, for 5 min',
    constants: ['hlt_physical_max'],
    needs: ['level'],
    signals: [LEVEL, RUN],
    dependsOn: ['D-06'],
    hint: 'Pumps keep filling a nearly full tank: stop pumps, check the high-level switch.',
    decision: 'Not while D-06 says the level reading itself is impossible: a bad sensor is one alert, not two.',
    test: (c, _k, active) =>
      above(c.levelPct, limit(c, 'D-03')) && rising(c) && (lift(c) || c.pumpsOn > 0) && !active('D-06'),
    clearTest: (c, _k, active) =>
      (!lift(c) && c.pumpsOn === 0) || (c.levelPct !== null && c.levelPct < limit(c, 'D-03') - 2) || active('D-06'),
    value: (c) => c.levelPct,
    valueUnit: '%',
    message: (c) =>
      lift(c)
        ? `Wet well at ${f1(c.levelPct)} % and rising with ${c.pumpsOn} pumps running`
        : `${Basin(c)} at ${f1(c.levelPct)} % and still filling with ${c.pumpsOn} pumps`,
  },
  {
    code: 'D-04',
    group: 'D',
    name: 'HLT falling fast — high drain rate',
    severity: 'HIGH',
    scope: 'station',
    condition: 'hlt_diff < −2 units/min while pumps_on_count=0',
    lift: {
      name: 'Wet well rising fast — no pump running',
      condition: 'level rising over 0.4 % of its range per minute with no pump running',
      hint: 'A surge of inflow and no pump running: check why the duty pump did not start.',
    },
    onDelayMin: 1,
    offDelayMin: 5,
    clear: 'Rate under 0.3 % of the range per minute for 5 min',
    constants: [],
    needs: ['level', 'run'],
    signals: [LEVEL, RUN],
    hint: 'Draining faster than any normal demand: burst main or a drain valve open.',
    decision:
      "The seed's 2 units/min is 0.4 % of its 500 cm tank per minute: written as a share of the level's range, it fits any level unit and sampling interval.",
    test: (c) => c.pumpsOn === 0 && below(c.pumpedRate, -rangePerMinute(c, 0.4)),
    clearTest: (c) => c.pumpsOn > 0 || (c.pumpedRate !== null && c.pumpedRate > -rangePerMinute(c, 0.3)),
    value: (c) => c.levelRate,
    valueUnit: 'level/min',
    message: (c) =>
      `${Basin(c)} ${lift(c) ? 'rising' : 'falling'} ${rate(Math.abs(c.levelRate ?? 0))} ${levelUnit(c)}/min with no pump running`,
  },
  {
    code: 'D-05',
    group: 'D',
    name: 'HLT not rising despite pumps ON',
    severity: 'HIGH',
    scope: 'station',
    condition: '≥3 pumps ON with KWH>0 but hlt_diff ≤ 0 for >10 min',
    lift: {
      name: 'Wet well not falling despite pumps ON',
      condition: '≥3 pumps (or all) drawing power but the level not falling for >10 min',
      clear: 'The level falls, or fewer pumps run',
      hint: 'The pumps run and the wet well does not go down: inflow surge, a blocked force main, or pumps delivering little.',
    },
    onDelayMin: 0,
    offDelayMin: 5,
    clear: 'The level rises, or fewer than 3 pumps run',
    constants: [],
    needs: ['level', 'run', 'kw'],
    signals: [LEVEL, RUN, KW],
    hint: 'Three pumps and the tank does not fill: demand surge, burst, or pumps delivering little.',
    decision:
      'Three or more pumps (all of them at a smaller station) have run for 10 minutes and the level has not moved their way over those 10 minutes (not each minute, which noise would flip). On a wet well, only above its operating band: within it, pumps that hold the level against a high inflow do their job.',
    test: (c) =>
      (!lift(c) || pumpsWanted(c)) &&
      c.minutesAtThreePlus >= 10 &&
      c.pumpsDrawing >= Math.min(3, c.station.pumps.length) &&
      c.pumpedChange10 !== null &&
      c.pumpedChange10 <= 0,
    value: (c) => c.levelChange10,
    valueUnit: 'level',
    message: (c) =>
      `${c.pumpsOn} pumps running but the ${c.words.basin} has not ${lift(c) ? 'fallen' : 'risen'} in 10 min`,
  },
  {
    code: 'D-06',
    group: 'D',
    name: 'HLT level sensor out of range',
    severity: 'HIGH',
    scope: 'station',
    condition: 'HLT101_OUTPUT < 0 or > hlt_physical_max × 1.05',
    lift: { name: 'Wet well level sensor out of range' },
    onDelayMin: 0,
    offDelayMin: 2,
    clear: 'Reading back in range',
    constants: ['hlt_physical_max'],
    needs: ['level'],
    signals: [LEVEL],
    hint: 'An impossible level: transmitter, scaling or cabling fault.',
    test: (c) => {
      const level = c.station.level;
      const v = c.r.level;
      return level !== undefined && v !== null && (v < level.min || v > level.max + 0.05 * (level.max - level.min));
    },
    value: (c) => c.r.level,
    valueUnit: 'level',
    message: (c) => {
      const level = c.station.level;
      const top = level ? level.max + 0.05 * (level.max - level.min) : null;
      return `${c.words.level} reads ${f1(c.r.level)} ${levelUnit(c)}, outside ${f1(level?.min)}..${f1(top)}`;
    },
  },
  {
    code: 'D-07',
    group: 'D',
    name: 'HLT level frozen — sensor stuck',
    severity: 'WARNING',
    scope: 'station',
    condition: 'HLT101_OUTPUT identical for >20 consecutive min while pumps change state',
    lift: { name: 'Wet well level frozen — sensor stuck' },
    onDelayMin: 0,
    offDelayMin: 0,
    clear: 'The reading changes',
    constants: [],
    needs: ['level', 'run'],
    signals: [LEVEL, RUN],
    hint: 'The level ignores pump starts and stops: check the level transmitter.',
    test: (c) => c.r.level !== null && frozenFor(c.levelFrozenMinutes, c, 20) && c.onOffChangedWhileLevelFrozen,
    value: (c) => c.r.level,
    valueUnit: 'level',
    message: (c) =>
      `${c.words.level} stuck at ${f1(c.r.level)} ${levelUnit(c)} for ${Math.round(c.levelFrozenMinutes)} min while pumps changed state`,
  },
];
