import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDemo, DEMO_DEFAULTS, DEMO_STATIONS, type DemoStation } from '../../demo/createDemo';
import { FAULT_KINDS, parseFault } from '../../demo/faults';
import type { HistorianLayout } from '../../demo/historianWriter';
import { checkOutputFolder } from '../../files/outputFile';
import { type Command, intOption, parseCommandArgs, printed, progressPrinter, UsageError } from '../command';

const FORMATS: HistorianLayout[] = ['seed', 'factorytalk', 'wide', 'dbf', 'dbf-wide'];

export const demoCommand: Command = {
  name: 'demo',
  usage: `Usage: pumpdeck demo --out DIR [--station booster|lift|tunnel] [--days N] [--seed S] [--start YYYY-MM-DD]
                     [--format F] [--fault F ...] [--force]

Writes a deterministic demo station into DIR.

--station booster (the default): seed 002's six-pump booster station filling tank HLT101, its
historian export in the shape --format says:
  seed         historian.csv: narrow, the seed's layout (Timestamp,Marker,TagIndex,Value)
  factorytalk  historian_factorytalk.csv: narrow, RSView32 / FactoryTalk layout (blank markers,
               US dates, Status codes), with tags.csv (its tag table)
  wide         historian_wide.csv: a SCADA's station-wide export (BOM, units row, Finnish time
               stamps, ';' and decimal commas, NA for a missing value)
  dbf          'YYYY MM DD 0000 (Float).DAT' + '(Tagname).DAT': a FactoryTalk dBase file set
  dbf-wide     'YYMMDD00(Wide).DBF' + '(Tagname).DBF': an RSView32 wide dBase log
and beside it:
  station.json                 station constants (seed 002 §8.3)
  baselines.csv                pump baselines (seed 000 BaselineData)
  operational/P1.csv .. P6.csv hourly per-pump operating data (seed 000 columns)

--station lift: an 8-pump wastewater lift station on VFDs emptying a wet well, as its SCADA
writes it: LS07_15min.csv (15-minute rows, site tag names such as 'Pump frequency 1.1', a
units row, Finnish times, ';' and decimal commas, NA, a two-hour logging gap), station.json (the
station model: kind lift, level in m, inflow in m3/15min, per-pump Hz, kW and flow) and
maintenance.csv. Duty pump P1.3 rags up from day 8 until it is cleaned on day 20.

--station tunnel: an 8-pump tunnel lift station lifting sewage 60 m out of a rock tunnel that
holds half a day of inflow, emptied every night in the cheapest hours of a c/kWh spot price:
LS12_tunnel_15min.csv (15-minute averages: a pump that ran part of a quarter hour shows part of
its Hz and kW; no units row), station.json and maintenance.csv (P8 out of service).

Options:
  --out DIR        folder to write (created if missing, in a folder that exists)
  --force          write into a folder that already has files (the demo's files are replaced)
  --days N         days of minute data (default ${DEMO_DEFAULTS.days})
  --seed S         random seed (default ${DEMO_DEFAULTS.seed}); the same seed gives the same files
  --start DAY      first day (default ${DEMO_DEFAULTS.start})
  --format F       ${FORMATS.join(', ')} (default seed)
  --fault F        inject a fault, repeatable: KIND@DAY:HH:MM+MINUTES[:PUMP], e.g. trip@2:03:10+12:P3
${Object.entries(FAULT_KINDS)
  .map(([kind, spec]) => `                     ${kind.padEnd(12)} ${spec.help}`)
  .join('\n')}`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      out: { type: 'string' },
      station: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      format: { type: 'string' },
      fault: { type: 'string', multiple: true },
      force: { type: 'boolean' },
    });
    if (values.help) return printed(this.usage);
    if (!values.out) throw new UsageError('--out DIR is required');
    const station = (values.station ?? 'booster') as DemoStation;
    if (!DEMO_STATIONS.includes(station))
      throw new UsageError(`invalid --station: ${values.station} (${DEMO_STATIONS.join(', ')})`);
    if (station !== 'booster' && (values.format || values.fault?.length))
      throw new UsageError('--format and --fault apply to the booster station only');
    const format = values.format ?? 'seed';
    if (!FORMATS.includes(format as HistorianLayout))
      throw new UsageError(`invalid --format: ${format} (${FORMATS.join(', ')})`);
    if (values.start && !/^\d{4}-\d{2}-\d{2}$/.test(values.start))
      throw new UsageError(`invalid --start: ${values.start} (YYYY-MM-DD)`);
    const days = intOption(values.days, 'days', [1, 3660]);
    const seed = intOption(values.seed, 'seed', [0, 2 ** 31 - 1]);
    const faults = (values.fault ?? []).map((f) => {
      try {
        return parseFault(f);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    });
    const out = resolve(values.out);
    // A new or empty folder in one that exists; a folder with files in it only with --force.
    await checkOutputFolder(out, { force: values.force || (existsSync(out) && readdirSync(out).length === 0) });
    const progress = progressPrinter('demo');
    const files = await createDemo({
      out,
      station,
      days,
      seed,
      start: values.start,
      format: station === 'booster' ? (format as HistorianLayout) : undefined,
      faults,
      onProgress: progress,
    });
    progress.end();
    console.log(`wrote ${files.rows} historian rows (${files.first} .. ${files.last}) to ${files.dir}`);
    return 0;
  },
};
