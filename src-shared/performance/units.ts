import { unitFactor } from '../station/units';
import type { Parameter } from './grades';

// A pump's baseline and readings are in seed 000's US units (gpm, psi, hp); a station's in metric
// (m³/h, kW). Pages show both: the station's unit first, the file's as written beside it.

/** The unit each parameter is recorded in (the baseline file's columns). */
export const RECORDED_UNIT: Record<Parameter, string> = { flow: 'gpm', head: 'psi', power: 'hp', efficiency: '%' };

/** A factor the station's unit table knows (it knows gpm and hp). */
function known(kind: 'flow' | 'power', unit: string): number {
  const factor = unitFactor(kind, unit);
  if (factor === null) throw new Error(`no ${kind} factor for ${unit}`);
  return factor;
}

const TO_METRIC: Record<Parameter, { unit: string; factor: number }> = {
  flow: { unit: 'm³/h', factor: known('flow', RECORDED_UNIT.flow) },
  head: { unit: 'm', factor: 0.703069578 }, // psi as metres of water column
  power: { unit: 'kW', factor: known('power', RECORDED_UNIT.power) },
  efficiency: { unit: '%', factor: 1 },
};

/** The factor from a recorded unit to metric (m³/h per gpm, kW per hp): readings from a historian divide by it. */
export function metricFactor(parameter: 'flow' | 'power'): number {
  return TO_METRIC[parameter].factor;
}

/** A recorded value in metric units for display. */
export function metric(parameter: Parameter, value: number): { value: number; unit: string } {
  const { unit, factor } = TO_METRIC[parameter];
  return { value: value * factor, unit };
}

/** The value in metric to show beside the recorded one, or null when the units are the same (%). */
export function metricBeside(parameter: Parameter, value: number): { value: number; unit: string } | null {
  const shown = metric(parameter, value);
  return shown.unit === RECORDED_UNIT[parameter] ? null : shown;
}

/** "363.40 gpm (82.5 m³/h)": the value as recorded, and in metric when that differs. */
export function measuredText(
  parameter: Parameter,
  value: number | null,
  format: (n: number, d: number) => string,
): string {
  if (value === null) return '—';
  const recorded = `${format(value, 2)} ${RECORDED_UNIT[parameter]}`;
  const beside = metricBeside(parameter, value);
  return beside ? `${recorded} (${format(beside.value, 1)} ${beside.unit})` : recorded;
}
