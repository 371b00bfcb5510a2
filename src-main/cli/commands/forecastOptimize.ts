import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { replayLine, savingsLine } from '../../../src-shared/optimize/claims';
import { costUnit } from '../../../src-shared/station/units';
import { runForecast, setRetrainOnImport } from '../../forecast/forecast';
import { runOptimization } from '../../optimize/optimize';
import { openProject, type Project } from '../../project';
import {
  type Command,
  checkTimeOptions,
  intOption,
  parseCommandArgs,
  printed,
  progressPrinter,
  UsageError,
} from '../command';

// `pumpdeck forecast` and `pumpdeck optimize` (issue 20): both read the same options.

const OPTIONS = {
  db: { type: 'string' },
  at: { type: 'string' },
  hours: { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function withProject<T>(
  argv: string[],
  usage: string,
  extra: Record<string, { type: 'string' | 'boolean' }>,
  work: (project: Project, values: Record<string, string | boolean | undefined>) => Promise<T>,
) {
  const { values } = parseCommandArgs(argv, { ...OPTIONS, ...extra });
  if (values.help) return printed(usage);
  if (!values.db) throw new UsageError('--db FILE is required');
  checkTimeOptions(values, ['at']);
  const path = resolve(String(values.db));
  if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such database`);
  const project = await openProject(path);
  try {
    await work(project, values as Record<string, string | boolean | undefined>);
    return 0;
  } finally {
    project.db.close();
  }
}

const fixed = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : v.toFixed(digits));

export const forecastCommand: Command = {
  name: 'forecast',
  usage: `Usage: pumpdeck forecast --db FILE [--at "YYYY-MM-DD HH:MM"] [--hours 24] [--json]
       pumpdeck forecast --db FILE --retrain-on-import on|off

Forecasts the flow the pumps must meet, hour by hour from --at (default: the hour after the newest
data): a booster station's outflow demand (pumped flow minus the change in the tank's volume), a
lift station's inflow. Four models are backtested on the last 14 days' origins, each trained only
on the hours before its origin: the seasonal-naive baseline (the same hour yesterday), the weekday
profile, a random forest on lags and the calendar, and SARIMAX (the weekday profile with ARMA(2,1)
errors; a fit that diverges falls back to the profile, and says so). The model is chosen on the older half of
the origins and scored on the newer half; one that does not beat the baseline there is not used.
From the newest data (no --at) the model registry decides: the backtest's candidate replaces the
production model only when its RMSE beats production's on the same origins; the decision is kept
in import_log. After a historian import the forecast retrains by itself once a week of new data
has come in; --retrain-on-import off turns that off for the project (ingest --no-retrain for once).
The level (% of the stored volume) under the station's own control is forecast the same way, on
its own series. --json prints {"target", "unit", "model", "points": [{"time", "flow", "actual",
"level", "actual_level"}], "backtest", "registry", "level"}.`,
  async run(argv) {
    return withProject(argv, this.usage, { 'retrain-on-import': { type: 'string' } }, async (project, values) => {
      const retrain = values['retrain-on-import'];
      if (retrain !== undefined) {
        if (retrain !== 'on' && retrain !== 'off') throw new UsageError('--retrain-on-import takes on or off');
        await setRetrainOnImport(project.db, retrain === 'on');
        return console.log(`retraining the forecast after imports: ${retrain}`);
      }
      const progress = progressPrinter('forecast');
      const result = await runForecast(project.db, {
        at: values.at as string | undefined,
        hours: intOption(values.hours as string | undefined, 'hours', [1, 168]),
        onProgress: progress,
      });
      progress.end();
      if (values.json) return console.log(JSON.stringify(result, null, 2));
      const bt = result.backtest;
      console.log(`${result.target} from ${result.origin}, by ${result.model}`);
      if (result.fallback) console.log(`note: ${result.fallback}`);
      if (result.registry) console.log(`registry: ${result.registry.reason}`);
      if (bt)
        console.log(
          `backtest over ${bt.origins} origins: RMSE ${fixed(bt.rmse)} m³/h against the seasonal-naive ${fixed(bt.baseline_rmse)} m³/h`,
        );
      if (result.level)
        console.log(
          `level under the station's own control by ${result.level.model}: RMSE ${fixed(result.level.rmse)} % points against the seasonal-naive ${fixed(result.level.baseline_rmse)}`,
        );
      for (const p of result.points)
        console.log(
          `${p.time}  ${fixed(p.flow)} m³/h${p.actual === null ? '' : `  (actual ${fixed(p.actual)})`}${p.level === null ? '' : `  level ${fixed(p.level)} %${p.actual_level === null ? '' : ` (actual ${fixed(p.actual_level)})`}`}`,
        );
    });
  },
};

export const optimizeCommand: Command = {
  name: 'optimize',
  usage: `Usage: pumpdeck optimize --db FILE [--at "YYYY-MM-DD HH:MM"] [--hours 24] [--slot 60|30|15] [--max-starts N] [--json]

Recommends the cheapest pump schedule for the window from --at (default: after the newest data):
a mixed-integer programme (HiGHS) over which pump runs in which slot (a VFD pump: its flow and the
share of the slot it runs), meeting the forecast demand (pumpdeck forecast), the level kept in the
station's operating band (station.json level.operating) with a margin for the forecast's error,
water left unpumped at the end charged at the next day's cheapest hours, at most as many pumps at
once as the station ran, minimum run (30 min) and rest (15 min) times and --max-starts per pump per
day (6). Pumps' flow and kW are measured over the 30 days before the window. Energy is priced by
the station's price tag, else its tariff (station.json "tariff"), else counted in kWh. The search
stops within 1 % of the cheapest schedule, or after 4 s with the best schedule found and the gap it
has proved; where no schedule holds the band the closest one is shown and says so. For a past
window it prints what the station did, the savings of a closed-loop replay (re-planned every hour
on the forecast known then, run on the demand that came, at equal end state: water it leaves
unpumped against the station's own end is charged) and the best possible (the demand known, pumps
free to run part of a slot) with the share of it captured. --json prints {"slots", "kwh", "cost",
"actual_kwh", "actual_cost", "savings_pct", "savings_note", "capture_pct", "solve_s", "gap_pct",
"replay", "hindsight", ...}. An infeasible window says which constraint cannot be met (exit 1).`,
  async run(argv) {
    let infeasible = false;
    const code = await withProject(
      argv,
      this.usage,
      { slot: { type: 'string' }, 'max-starts': { type: 'string' } },
      async (project, values) => {
        const slot = values.slot === undefined ? 60 : Number(values.slot);
        if (![15, 30, 60].includes(slot)) throw new UsageError(`invalid --slot: ${values.slot} (60, 30 or 15)`);
        const progress = progressPrinter('optimize');
        const result = await runOptimization(project.db, {
          at: values.at as string | undefined,
          hours: intOption(values.hours as string | undefined, 'hours', [1, 72]),
          slotMinutes: slot as 15 | 30 | 60,
          maxStartsPerDay: intOption(values['max-starts'] as string | undefined, 'max-starts', [0, 96]),
          onProgress: progress,
        });
        progress.end();
        infeasible = result.status === 'infeasible';
        if (values.json) return console.log(JSON.stringify(result, null, 2));
        if (infeasible)
          return console.log(`No schedule meets every constraint from ${result.origin}: ${result.reason}.`);
        const unit = costUnit(
          result.currency,
          result.slots.map((s) => s.price),
        );
        console.log(
          `schedule from ${result.origin} (${result.slots.length} slots of ${result.slotMinutes} min, solved in ${fixed(result.solve_s, 2)} s, within ${fixed(result.gap_pct, 2)} % of the cheapest)`,
        );
        for (const s of result.slots)
          console.log(
            `${s.time}  ${Object.entries(s.pumps)
              .map(([id, on]) => (on ? id : '·'.repeat(id.length)))
              .join(' ')}  ${fixed(s.flow, 0)} m³/h  ${fixed(s.kw, 0)} kW  level ${fixed(s.level)} %`,
          );
        if (result.status === 'fallback') console.log(`note: ${result.reason}`);
        console.log(`energy ${fixed(result.kwh, 0)} kWh, cost ${fixed(result.cost, 2)} ${unit}`);
        if (result.actual_cost !== null)
          console.log(`the station did: ${fixed(result.actual_kwh, 0)} kWh, ${fixed(result.actual_cost, 2)} ${unit}`);
        if (result.hindsight)
          console.log(
            `the best possible (the demand known in advance, pumps free to run part of an hour): ${fixed(result.hindsight.kwh, 0)} kWh, ${fixed(result.hindsight.cost, 2)} ${unit}`,
          );
        for (const line of [replayLine(result, unit), savingsLine(result)]) if (line) console.log(line);
      },
    );
    return infeasible ? 1 : code;
  },
};
