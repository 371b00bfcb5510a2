import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { seededRandom } from '../../src-shared/random';
import { type StationModel, seedConstantsOf, seedStation } from '../../src-shared/station/model';
import { PUMPS } from '../../src-shared/tags';
import { formatTimestamp } from '../../src-shared/time';
import { applyFaults, type DemoFault, type FaultRow } from './faults';
import { type HistorianLayout, HistorianWriter, historianFileNames, tagTableCsv, tagValues } from './historianWriter';
import { writeLiftDemo } from './liftDemo';
import {
  baselinePoint,
  commissioningBaseline,
  HourlyOperatingAverager,
  OPERATIONAL_COLUMNS,
  type OperatingPoint,
} from './pumpCurves';
import { DEMO_TANK, pumpModels, simulateStation, startTime } from './stationSim';
import { writeTunnelDemo } from './tunnelDemo';

/** The seed's 6-pump booster station, an 8-pump wastewater lift station, or a tunnel lift station logged as 15-minute averages. */
export type DemoStation = 'booster' | 'lift' | 'tunnel';
export const DEMO_STATIONS: readonly DemoStation[] = ['booster', 'lift', 'tunnel'];

export interface DemoOptions {
  out: string;
  station?: DemoStation;
  days?: number;
  seed?: number;
  start?: string;
  format?: HistorianLayout;
  /** Faults to inject into the historian values (see faults.ts). */
  faults?: DemoFault[];
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

export interface DemoFiles {
  dir: string;
  historian: string;
  tagTable: string | null;
  station: string;
  /** The booster demo's pump baselines and per-pump operational CSVs (the lift demo has none). */
  baselines: string | null;
  maintenance: string;
  operational: string[];
  /** The historian's layout; the lift station writes its own SCADA's wide CSV. */
  layout: HistorianLayout;
  kind: DemoStation;
  rows: number;
  first: string;
  last: string;
}

export const DEMO_DEFAULTS = { days: 30, seed: 1, start: '2025-03-01', format: 'seed' as HistorianLayout };

/** The demo's station: the seed's six pumps, HLT101 and FIT101, with the demo's constants. */
export function demoStationConfig(): StationModel {
  return seedStation({
    name: 'Demo booster station (6 pumps, HLT101, FIT101)',
    rated_kw: 37,
    hlt_physical_max: DEMO_TANK.heightCm,
    fit101_physical_max: 500,
    daily_energy_budget_kwh: 1600,
    // Issue 20's example tariff: the schedule optimizer prices energy with it.
    tariff: { peak: 0.3, offpeak: 0.12, currency: 'EUR' },
  });
}

function operationalRow(time: number, p: OperatingPoint): string {
  return [
    formatTimestamp(time),
    p.flowGpm.toFixed(1),
    p.dischargePsi.toFixed(2),
    p.suctionPsi.toFixed(2),
    p.motorHp.toFixed(2),
    p.efficiencyPct.toFixed(2),
    p.speedRpm.toFixed(0),
  ].join(',');
}

/**
 * Writes a demo station as real files: a narrow historian export (seed or FactoryTalk layout,
 * the latter with its tag table), station.json, pump baselines and per-pump operational CSVs.
 * Files are written into a temporary folder and renamed into place, so a failure leaves none.
 */
// Long because it writes each file of the demo station in turn into the staging folder, then moves them into place.
export async function createDemo(options: DemoOptions): Promise<DemoFiles> {
  const days = options.days ?? DEMO_DEFAULTS.days;
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const start = options.start ?? DEMO_DEFAULTS.start;
  const layout = options.format ?? DEMO_DEFAULTS.format;
  if (!(days > 0 && days <= 3660)) throw new ApiError('bad_input', `invalid days: ${days} (1 to 3660)`);
  if (options.station === 'lift' || options.station === 'tunnel')
    return createWideDemo(options, options.station, days, seed, start);

  await mkdir(options.out, { recursive: true });
  const staging = join(options.out, `.demo-partial-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, 'operational'), { recursive: true });
  try {
    const names = historianFileNames(layout, start);
    const historianName = names.log;
    const writer = await HistorianWriter.open(
      join(staging, historianName),
      layout,
      names.tagTable ? join(staging, names.tagTable) : null,
    );
    const averagers = PUMPS.map((_, k) => new HourlyOperatingAverager(k, seededRandom(seed * 31 + k)));
    const operational = PUMPS.map(() => [] as Array<{ time: number; point: OperatingPoint }>);
    const totalMinutes = Math.round(days * 1440);
    let minute = 0;
    let first = 0;
    let last = 0;
    const signal = options.signal;
    const onProgress = options.onProgress;
    function* rows(): Generator<FaultRow> {
      for (const sample of simulateStation({ days, seed, start })) {
        if (minute === 0) first = sample.time;
        last = sample.time;
        averagers.forEach((averager, k) => {
          const row = averager.add(sample);
          if (row) operational[k].push(row);
        });
        if (++minute % 1440 === 0) {
          if (signal?.aborted) throw new ApiError('cancelled', 'demo generation was cancelled');
          onProgress?.({
            phase: 'simulating',
            fraction: minute / totalMinutes,
            done: minute / 1440,
            total: days,
            unit: 'days',
          });
        }
        yield { time: sample.time, values: tagValues(sample) };
      }
    }
    for (const row of applyFaults(rows(), options.faults ?? [], startTime(start)))
      await writer.write(row.time, row.values);
    await writer.close();
    averagers.forEach((averager, k) => {
      const row = averager.finish();
      if (row) operational[k].push(row);
    });

    // Municipal water is HI 14.6 grade 1U by application, an acceptance-test grade; for
    // monitoring against a commissioning baseline the demo sets the bilateral 2B.
    const models = pumpModels(seed);
    const baselineRows = models.map((model, k) => {
      const b = commissioningBaseline(operational[k], startTime(start)) ?? baselinePoint(model);
      return [
        model.pump,
        'Vertical turbine',
        50,
        'Municipal Water and Wastewater',
        b.flowGpm.toFixed(1),
        b.dischargePsi.toFixed(2),
        b.motorHp.toFixed(2),
        b.efficiencyPct.toFixed(2),
        '2B',
      ].join(',');
    });
    await writeFile(
      join(staging, 'baselines.csv'),
      `${[
        'well_id,pump_type,horsepower,application,baseline_flow_gpm,baseline_discharge_pressure_psi,baseline_power_hp,baseline_efficiency_percent,tolerance_grade',
        ...baselineRows,
      ].join('\n')}\n`,
    );
    // The seed's station.json: its four constants (which mean "the seed's tags").
    const { peak_hours: _peak, ...constants } = seedConstantsOf(demoStationConfig());
    await writeFile(join(staging, 'station.json'), `${JSON.stringify(constants, null, 2)}\n`);
    // P4 wears all along (stationSim) and fails at the end of the export: a run to failure to learn from.
    await writeFile(
      join(staging, 'maintenance.csv'),
      `pump,date,kind,note\nP4,${formatTimestamp(last + 60_000)},failure,bearing failure after steady wear (demo)\n`,
    );
    if (layout === 'factorytalk') await writeFile(join(staging, 'tags.csv'), tagTableCsv());
    const tagTableName = names.tagTable;
    await Promise.all(
      PUMPS.map((pump, k) =>
        writeFile(
          join(staging, 'operational', `${pump}.csv`),
          [OPERATIONAL_COLUMNS.join(','), ...operational[k].map((r) => operationalRow(r.time, r.point))].join('\n') +
            '\n',
        ),
      ),
    );

    // Move into place only once everything is written.
    const written = [
      historianName,
      'baselines.csv',
      'maintenance.csv',
      'station.json',
      ...(tagTableName ? [tagTableName] : []),
    ];
    await mkdir(join(options.out, 'operational'), { recursive: true });
    for (const name of written) await rename(join(staging, name), join(options.out, name));
    for (const pump of PUMPS)
      await rename(join(staging, 'operational', `${pump}.csv`), join(options.out, 'operational', `${pump}.csv`));
    return {
      dir: options.out,
      historian: join(options.out, historianName),
      tagTable: tagTableName ? join(options.out, tagTableName) : null,
      station: join(options.out, 'station.json'),
      baselines: join(options.out, 'baselines.csv'),
      maintenance: join(options.out, 'maintenance.csv'),
      operational: PUMPS.map((pump) => join(options.out, 'operational', `${pump}.csv`)),
      layout,
      kind: 'booster',
      rows: writer.rowCount,
      first: formatTimestamp(first),
      last: formatTimestamp(last),
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The lift and tunnel station demos: their SCADA's 15-minute wide export, station.json and maintenance log. */
async function createWideDemo(
  options: DemoOptions,
  station: 'lift' | 'tunnel',
  days: number,
  seed: number,
  start: string,
): Promise<DemoFiles> {
  if (options.format && options.format !== 'wide')
    throw new ApiError('bad_input', `the ${station} station's SCADA writes one layout (wide), not ${options.format}`);
  if (options.faults?.length) throw new ApiError('bad_input', 'faults are injected into the booster demo only');
  await mkdir(options.out, { recursive: true });
  const staging = join(options.out, `.demo-partial-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const onDay = (day: number) => {
      if (options.signal?.aborted) throw new ApiError('cancelled', 'demo generation was cancelled');
      options.onProgress?.({ phase: 'simulating', fraction: day / days, done: day, total: days, unit: 'days' });
    };
    const write = station === 'lift' ? writeLiftDemo : writeTunnelDemo;
    const written = await write(staging, { days, seed, start }, onDay);
    const moved = (path: string) => join(options.out, basename(path));
    for (const path of [written.historian, written.station, written.maintenance]) await rename(path, moved(path));
    return {
      dir: options.out,
      historian: moved(written.historian),
      tagTable: null,
      station: moved(written.station),
      baselines: null,
      maintenance: moved(written.maintenance),
      operational: [],
      layout: 'wide',
      kind: station,
      rows: written.rows,
      first: formatTimestamp(written.first),
      last: formatTimestamp(written.last),
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
