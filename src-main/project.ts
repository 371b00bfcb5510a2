import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { Progress } from '../src-shared/api/contract';
import type { StationModel } from '../src-shared/station/model';
import { PUMPS } from '../src-shared/tags';
import { ensureSchema, readMeta, writeMeta } from './db/schema';
import { StationDb } from './db/stationDb';
import { createDemo, DEMO_DEFAULTS, type DemoStation } from './demo/createDemo';
import type { DemoFault } from './demo/faults';
import { importBaselines } from './ingest/baselines';
import { importHistorian } from './ingest/historianImport';
import { importWideCsv } from './ingest/pumpOperational';
import { currentStation, loadStation, readStationFile } from './ingest/stationConfig';
import { importMaintenance } from './models/maintenanceLog';

/** An open station project: one DuckDB file and what we know about it. */
export interface Project {
  db: StationDb;
  dbPath: string;
  name: string;
  isDemo: boolean;
}

export async function openProject(dbPath: string): Promise<Project> {
  const db = await StationDb.open(dbPath);
  await ensureSchema(db);
  const station = (await loadStation(db))?.config;
  const isDemo = (await readMeta<boolean>(db, 'is_demo')) ?? false;
  return { db, dbPath, name: station?.name ?? basename(dbPath, '.duckdb'), isDemo };
}

export async function stationConfig(project: Project): Promise<StationModel> {
  return (await currentStation(project.db)).config;
}

/** Where PumpDeck keeps its own files: $PUMPDECK_HOME, else the XDG data folder. */
export function dataHome(): string {
  if (process.env.PUMPDECK_HOME) return process.env.PUMPDECK_HOME;
  const xdg = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'pumpdeck');
}

export interface DemoProjectOptions {
  dir: string;
  days?: number;
  seed?: number;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  /** Faults injected into the demo's historian export (see demo/faults.ts). */
  faults?: DemoFault[];
  /** Which demo station (default the booster). */
  station?: DemoStation;
}

/** Generates the demo station's files in `dir`, ingests them into `dir/station.duckdb` and opens it. */
export async function createDemoProject(options: DemoProjectOptions): Promise<Project> {
  const files = await createDemo({
    out: options.dir,
    days: options.days ?? DEMO_DEFAULTS.days,
    seed: options.seed,
    faults: options.faults,
    station: options.station,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const project = await openProject(join(options.dir, 'station.duckdb'));
  const station = await readStationFile(files.station);
  await importHistorian(project.db, files.historian, {
    station,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  if (files.baselines) await importBaselines(project.db, files.baselines);
  await importMaintenance(project.db, files.maintenance);
  for (const [k, file] of files.operational.entries()) await importWideCsv(project.db, file, PUMPS[k]);
  await writeMeta(project.db, 'is_demo', true);
  return { ...project, name: station.model.name, isDemo: true };
}

/**
 * What opens at start-up: the given file; else the user's default project if it exists; else the
 * demo station, generated once into the data folder (the embedded default of a first start).
 */
export async function openStartupProject(options: {
  dbPath?: string;
  demo?: boolean;
  days?: number;
  onProgress?: (p: Progress) => void;
}): Promise<Project> {
  if (options.dbPath && !options.demo) {
    await mkdir(join(options.dbPath, '..'), { recursive: true });
    return openProject(options.dbPath);
  }
  const home = dataHome();
  const defaultDb = join(home, 'station.duckdb');
  if (!options.demo && existsSync(defaultDb)) return openProject(defaultDb);
  const demoDir = join(home, 'demo');
  if (existsSync(join(demoDir, 'station.duckdb'))) {
    const project = await openProject(join(demoDir, 'station.duckdb'));
    const rows = await project.db.one<{ n: number }>('SELECT count(*) AS n FROM readings_wide');
    if ((rows?.n ?? 0) > 0) return project;
    project.db.close();
  }
  return createDemoProject({ dir: demoDir, days: options.days, onProgress: options.onProgress });
}
