import type { StationField, StationKind, StationModel } from '../station/model';
import type { MinuteContext } from './minute';

// What an alert rule is (seed 002 §8.4-8.11 as data): the seed's text, PumpDeck's test, the roles
// of the station it reads, and how its meaning changes on a lift station. The rules themselves are
// in ./rules/, one file per group; the engine evaluates them (engine.ts).

export type Severity = 'CRITICAL' | 'HIGH' | 'WARNING' | 'INFO';
/** Worst first: the order alarms are ranked and listed in. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'WARNING', 'INFO'] as const satisfies readonly Severity[];
export const severityRank = (severity: Severity) => SEVERITIES.indexOf(severity);
export type RuleGroup = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H';

export const GROUP_NAMES: Record<RuleGroup, string> = {
  A: 'Power supply',
  B: 'Pump faults',
  C: 'Flow anomalies',
  D: 'Level (tank or wet well)',
  E: 'Runtime and wear',
  F: 'Data quality',
  G: 'Energy efficiency',
  H: 'Cascade events',
};

/**
 * What a rule reads of the station. Station roles: level, flow (a station meter or pump meters),
 * day_total, inflow. Pump roles (per pump for pump rules, any pump for station rules): run, kw,
 * rated_kw (kw with a rated power), fixed_speed (no VFD: on a VFD, power and run time follow the
 * speed the level asks for, so a swing, a low draw or a day-long run is normal). flow_max: the
 * flow meter's range.
 */
export type Role = 'level' | 'flow' | 'day_total' | 'inflow' | 'run' | 'kw' | 'rated_kw' | 'flow_max' | 'fixed_speed';

export type ValueUnit =
  | 'level'
  | 'level/min'
  | 'flow'
  | 'day_total'
  | '%'
  | 'kW'
  | 'kWh'
  | 'min'
  | 'starts/h'
  | 'pumps'
  | 'ratio'
  | 'm³/kWh per day';

/** A rule value's unit on this station (a level in its own unit, "cm" or "m"). */
export function valueUnitOn(unit: ValueUnit, model: StationModel): string {
  if (unit === 'level') return model.level?.unit ?? '';
  if (unit === 'level/min') return model.level?.unit ? `${model.level.unit}/min` : '/min';
  if (unit === 'flow') return model.flow?.unit ?? model.inflow?.unit ?? '';
  if (unit === 'day_total') return model.day_total?.unit ?? '';
  if (unit === 'ratio') return '× reference';
  return unit;
}

export const ROLE_WORDS: Record<Role, string> = {
  level: 'a level signal',
  flow: 'a flow meter',
  day_total: 'a day total',
  inflow: 'an inflow meter',
  run: 'a run state',
  kw: "pumps' power",
  rated_kw: 'rated power',
  flow_max: "the flow meter's range",
  fixed_speed: 'a fixed-speed pump (not a VFD)',
};

/** Active state of a rule at this row (rules later in the order see earlier ones). */
export type ActiveLookup = (code: string, pump?: number) => boolean;

/** How a rule reads on a lift station, where a tank that fills is a wet well the pumps empty. */
export interface LiftWording {
  name?: string;
  condition?: string;
  clear?: string;
  hint?: string;
}

export interface AlertRule {
  code: string;
  group: RuleGroup;
  name: string;
  severity: Severity;
  scope: 'station' | 'pump';
  /** The seed's condition, as written there. */
  condition: string;
  /** Raise once the test has held this many minutes past its first row ("for > N min"). */
  onDelayMin: number;
  /** Clear once the test (or clearTest) has been false this many minutes (hysteresis). */
  offDelayMin: number;
  clear: string;
  constants: StationField[];
  /** The roles the rule reads: where the station lacks one, the rule is not applicable. */
  needs: Role[];
  /** The station kinds it applies to (both when absent). */
  kinds?: StationKind[];
  lift?: LiftWording;
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
  /** What `value` is measured in: a fixed unit, or the station signal's own ('level', 'flow', ...). */
  valueUnit: ValueUnit;
  message(c: MinuteContext, pump: number, name: string): string;
}

/** Whether a rule applies to a station, to which pumps, and if not, why (shown in the catalog). */
export interface Applicability {
  applicable: boolean;
  /** Pump rules: the pumps (by position) it runs for. */
  pumps: number[];
  reason: string;
}

function pumpHas(model: StationModel, k: number, role: Role): boolean {
  const p = model.pumps[k];
  switch (role) {
    case 'run':
      return true;
    case 'kw':
      return p.kw !== undefined;
    case 'rated_kw':
      return p.kw !== undefined && p.rated_kw !== undefined;
    case 'flow':
      return p.flow !== undefined || model.flow !== undefined;
    case 'fixed_speed':
      return p.hz === undefined;
    default:
      return stationHas(model, role);
  }
}

function stationHas(model: StationModel, role: Role): boolean {
  switch (role) {
    case 'level':
      return model.level !== undefined;
    case 'flow':
      return model.flow !== undefined || model.pumps.some((p) => p.flow);
    case 'flow_max':
      return model.flow?.max !== undefined;
    case 'day_total':
      return model.day_total !== undefined;
    case 'inflow':
      return model.inflow !== undefined;
    case 'run':
      return model.pumps.length > 0;
    case 'kw':
      return model.pumps.some((p) => p.kw);
    case 'rated_kw':
      return model.pumps.some((p) => p.kw && p.rated_kw !== undefined);
    case 'fixed_speed':
      return model.pumps.some((p) => p.hz === undefined);
  }
}

export function applicability(rule: AlertRule, model: StationModel): Applicability {
  if (rule.kinds && !rule.kinds.includes(model.kind))
    return { applicable: false, pumps: [], reason: `not applicable: only for ${rule.kinds.join(' and ')} stations` };
  if (rule.scope === 'station') {
    const missing = rule.needs.filter((role) => !stationHas(model, role));
    return missing.length
      ? {
          applicable: false,
          pumps: [],
          reason: `not applicable: needs ${missing.map((r) => ROLE_WORDS[r]).join(' and ')}`,
        }
      : { applicable: true, pumps: [], reason: 'applicable' };
  }
  const pumps = model.pumps.map((_, k) => k).filter((k) => rule.needs.every((role) => pumpHas(model, k, role)));
  if (pumps.length === 0) {
    const missing = rule.needs.filter((role) => !model.pumps.some((_, k) => pumpHas(model, k, role)));
    return {
      applicable: false,
      pumps,
      reason: `not applicable: needs ${missing.map((r) => ROLE_WORDS[r]).join(' and ')}`,
    };
  }
  const left = model.pumps.filter((_, k) => !pumps.includes(k)).map((p) => p.id);
  return {
    applicable: true,
    pumps,
    reason: left.length
      ? `applicable to ${pumps.length} pumps (not ${left.join(', ')}: a role is missing)`
      : 'applicable',
  };
}

/** The rule's name, condition, clear and hint as they read on this station's kind. */
export function worded(rule: AlertRule, kind: StationKind): Pick<AlertRule, 'name' | 'condition' | 'clear' | 'hint'> {
  const lift = kind === 'lift' ? rule.lift : undefined;
  return {
    name: lift?.name ?? rule.name,
    condition: lift?.condition ?? rule.condition,
    clear: lift?.clear ?? rule.clear,
    hint: lift?.hint ?? rule.hint,
  };
}

/** One decimal, or a dash for a missing value. */
export const f1 = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(1));

/** A rate for a message: one decimal, or two significant digits when smaller (0.020 m/min, not 0.0). */
export const rate = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : Math.abs(x) >= 1 || x === 0 ? x.toFixed(1) : x.toPrecision(2);
