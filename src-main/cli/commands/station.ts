import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { catalogFor } from '../../../src-shared/alerts/catalog';
import { ApiError } from '../../../src-shared/api/errors';
import type { StationModel } from '../../../src-shared/station/model';
import { displayUnit } from '../../../src-shared/station/units';
import { ensureSchema } from '../../db/schema';
import { StationDb } from '../../db/stationDb';
import { setStationModel, suggestFromData } from '../../ingest/recompute';
import { currentStation, readStationFile } from '../../ingest/stationConfig';
import { type Command, parseCommandArgs, printed, UsageError } from '../command';

/** The model in lines an engineer can check against the P&ID. */
function describeModel(model: StationModel, derived: readonly string[]): string[] {
  const signal = (s: { tag: string; unit?: string } | undefined) =>
    s ? `'${s.tag}'${s.unit ? ` (${displayUnit(s.unit)})` : ''}` : '—';
  const pumps = model.pumps.length
    ? `${model.pumps.length} pumps`
    : 'no pumps (a log of other signals: the pump tables stay empty)';
  const lines = [
    `${model.name}: ${model.kind} station, ${pumps}, logged every ${model.interval_min} min`,
    `  level   ${signal(model.level)}${model.level ? `, ${model.level.min}..${model.level.max}` : ''}`,
    `  flow    ${signal(model.flow)}${model.flow?.max !== undefined ? `, up to ${model.flow.max}` : ''}`,
    `  inflow  ${signal(model.inflow)}`,
    `  price   ${signal(model.price)}`,
  ];
  for (const p of model.pumps) {
    const run = p.run.above === undefined ? `'${p.run.tag}' = 1` : `'${p.run.tag}' > ${p.run.above}`;
    const parts = [`runs when ${run}`, p.kw && `kW ${signal(p.kw)}`, p.flow && `flow ${signal(p.flow)}`];
    if (p.rated_kw !== undefined) parts.push(`rated ${p.rated_kw} kW`);
    lines.push(`  pump ${p.id.padEnd(6)} ${parts.filter(Boolean).join('; ')}`);
  }
  lines.push(
    `  daily energy budget ${model.daily_energy_budget_kwh} kWh; peak hours ${JSON.stringify(model.peak_hours)}`,
  );
  if (derived.length) lines.push(`  derived from the data: ${derived.join(', ')}`);
  return lines;
}

export const stationCommand: Command = {
  name: 'station',
  usage: `Usage: pumpdeck station --db FILE [--suggest] [--set FILE] [--json]

Prints the station model of the project: which tag is the level, the flow, each pump's run state,
power and flow, the kind (booster: pumps fill a tank; lift: they empty a wet well), and the rules
that do not apply for want of a signal.

  --suggest     print the model PumpDeck suggests from the stored data (tag names, units, values)
                with the reason for each choice, instead of the stored one
  --set FILE    replace the model with station.json FILE and rebuild every table from it
  --json        print JSON (the model, or the suggestion with its reasons)`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      suggest: { type: 'boolean' },
      set: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return printed(this.usage);
    if (!values.db) throw new UsageError('--db FILE is required');
    if (values.suggest && values.set) throw new UsageError('--suggest and --set do not go together');
    const path = resolve(values.db);
    if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such database`);
    const db = await StationDb.open(path, { readOnly: !values.set });
    try {
      if (values.set) await ensureSchema(db);
      if (values.suggest) {
        const suggestion = await suggestFromData(db);
        if (values.json) console.log(JSON.stringify(suggestion, null, 2));
        else {
          console.log(describeModel(suggestion.input.model, []).join('\n'));
          console.log('\nwhy:');
          for (const reason of suggestion.reasons) console.log(`  ${reason}`);
          if (suggestion.unmapped.length)
            console.log(`not mapped (kept as raw tags): ${suggestion.unmapped.join(', ')}`);
        }
        return 0;
      }
      if (values.set) {
        const input = await readStationFile(resolve(values.set));
        const stored = await setStationModel(db, input);
        console.error(`station: ${stored.config.name} set; every table rebuilt`);
      }
      const { config, derived } = await currentStation(db);
      if (values.json) console.log(JSON.stringify(config, null, 2));
      else {
        console.log(describeModel(config, derived).join('\n'));
        const idle = catalogFor(config).filter((r) => !r.applicable);
        if (idle.length) {
          console.log(`\n${idle.length} alert rules do not apply:`);
          for (const r of idle) console.log(`  ${r.code} ${r.name}: ${r.reason}`);
        }
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
