import { columnDoc } from '../sql/schemaDocs';
import type { Signal, StationModel } from './model';
import { displayUnit } from './units';
import { labelOf, shortName } from './words';

// Every chartable column as an operator reads it (issue 18): a display name, a description and a
// unit, whatever the tag is called in the PLC. Raw tags are named by their role in the station
// model, described by the file they came from when it said (a units or description row), and by
// their role otherwise; derived columns by what they compute.

export interface TagInfo {
  /** The column in readings_wide. */
  name: string;
  group: 'tag' | 'derived';
  label: string;
  description: string;
  unit: string | null;
  /** A 0/1 state (a pump running, a flag): drawn as steps. */
  state: boolean;
}

export interface TagMeta {
  unit: string | null;
  description: string | null;
}

interface Role {
  label: string;
  description: string;
  unit: string | null;
  state: boolean;
}

function roles(model: StationModel): Map<string, Role> {
  const out = new Map<string, Role>();
  const add = (signal: Signal | undefined, label: string, description: string, unit?: string | null, state = false) => {
    if (signal) out.set(signal.tag, { label, description, unit: unit ?? (displayUnit(signal.unit) || null), state });
  };
  const basin = model.kind === 'lift' ? 'wet well' : 'tank';
  add(model.level, labelOf('Level', shortName(model.level?.tag, '')), `The ${basin} level`);
  add(model.flow, labelOf('Station flow', shortName(model.flow?.tag, '')), 'The flow through the station meter');
  add(model.inflow, 'Inflow', `The flow into the ${basin}`);
  add(model.day_total, 'Flow day total', 'Volume since midnight, from the flow meter');
  add(model.price, 'Energy price', 'The price signal per kWh');
  for (const p of model.pumps) {
    const name = p.name ?? p.id;
    const zeroOne = p.run.above === undefined;
    out.set(p.run.tag, {
      label: `${name} running`,
      description: zeroOne ? `${name}'s run state: 1 running, 0 stopped` : `${name} runs above ${p.run.above}`,
      unit: null,
      state: zeroOne,
    });
    add(p.kw, `${name} power`, `${name}'s electrical power`, displayUnit(p.kw?.unit) || 'kW');
    add(p.flow, `${name} flow`, `${name}'s own flow meter`);
    add(p.hz, `${name} speed`, `${name}'s drive frequency`, displayUnit(p.hz?.unit) || 'Hz');
    add(p.run_hours, `${name} run hours`, `${name}'s hour counter`, 'h');
    add(p.run_minutes, `${name} run minutes`, `${name}'s minute counter`, 'min');
  }
  return out;
}

/** Units of derived columns, from the station's own (a level change is in the level's unit). */
function derivedUnit(name: string, model: StationModel): { unit: string | null; state: boolean } {
  const level = displayUnit(model.level?.unit) || null;
  const flow = displayUnit(model.flow?.unit ?? model.inflow?.unit) || null;
  if (name.startsWith('flag_') || name === 'is_peak_hour' || name === 'is_weekend') return { unit: null, state: true };
  const units: Record<string, string | null> = {
    hlt_pct: '%',
    hlt_diff: level,
    flow_diff: flow,
    flow_per_pump: flow,
    flow_slope_10: flow ? `${flow}/min` : null,
    flow_z_score: 'σ',
    pumps_on_count: 'pumps',
    total_kw: 'kW',
    energy_per_flow: 'kWh/m³',
    interval_min: 'min',
    hour: 'h',
  };
  return { unit: units[name] ?? null, state: false };
}

const humanize = (name: string) => {
  const text = name.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** The columns of readings_wide, named, described and with their units. */
export function tagCatalog(
  columns: Array<{ name: string; group: 'tag' | 'derived' }>,
  model: StationModel,
  meta: Map<string, TagMeta>,
): TagInfo[] {
  const byRole = roles(model);
  return columns.map(({ name, group }) => {
    const file = meta.get(name);
    if (group === 'derived') {
      const { unit, state } = derivedUnit(name, model);
      return { name, group, label: humanize(name), description: columnDoc('readings_wide', name) ?? '', unit, state };
    }
    const role = byRole.get(name);
    return {
      name,
      group,
      label: role?.label ?? shortName(name, name),
      description:
        file?.description ?? role?.description ?? 'A raw tag of the historian (no role in the station model)',
      unit: (file?.unit ? displayUnit(file.unit) : null) ?? role?.unit ?? null,
      state: role?.state ?? false,
    };
  });
}
