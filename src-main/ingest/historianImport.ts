import { catalogFor, RULES } from '../../src-shared/alerts/catalog';
import type { HistorianImportSummary, Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { MinutePivot } from '../../src-shared/historian/minutePivot';
import { DROP, dropCounts, STATUS_MEANING } from '../../src-shared/historian/quality';
import { plausibleRange, type TimeRange } from '../../src-shared/historian/sampleCode';
import { type MinuteFrame, rawMinutes } from '../../src-shared/minuteFrame';
import { clockChanges } from '../../src-shared/station/clock';
import { deriveStation, keptDerived, NOTHING_OBSERVED, observedOf } from '../../src-shared/station/derive';
import { hasSeedTags, type StationModel } from '../../src-shared/station/model';
import type { StationInput } from '../../src-shared/station/parse';
import { loggedMinutes, samplingOf } from '../../src-shared/station/realTime';
import { suggestStation } from '../../src-shared/station/suggest';
import { formatTimestamp } from '../../src-shared/time';
import { AlertsOffThread, engineTags } from '../alerts/alertsInWorker';
import { alertStartBeforeReading } from '../alerts/alertsLog';
import { collectGarbage } from '../db/columnar';
import {
  ensurePumpTables,
  ensureSchema,
  RESERVED_COLUMNS,
  rawTagColumns,
  readingsWideDdl,
  STATION_TABLES,
  writeTagMeta,
} from '../db/schema';
import { ident, type StationDb } from '../db/stationDb';
import { applyMinutes } from './applyMinutes';
import { DERIVED_LOOKBACK_MINUTES } from './derivedColumns';
import { loadMinutes, mergeMinutes } from './minuteFrame';
import { openHistorianSource } from './sources/open';
import type { HistorianSource, ReadContext } from './sources/source';
import { loadStation, type StoredStation, saveStation } from './stationConfig';

// A historian import as named stages, called in order from importHistorian:
//   open → read (into the minute pivot; the alert engine starts on finished days) → check (refuse
//   what is wrong, naming line and field; refuse a file mostly dropped) → quality (interval, gaps)
//   → then in one transaction: station (constants, new tag columns) → merge (with the stored
//   minutes around) → apply (derive, write, tables, alerts) → log.
// Any error or cancel rolls back: every table is exactly as it was (docs/decisions.md, issue 4).

export interface HistorianImportOptions {
  /** RSView32 / FactoryTalk tag table; without it the one beside the log, else the seed's 27-tag order. */
  tagTable?: string;
  /** The station model from station.json; the constants it leaves out are derived from the data. */
  station?: StationInput;
  /** Day/month order of dates, needed when the file leaves it ambiguous. */
  dateOrder?: 'mdy' | 'dmy';
  /** Import even when over half the samples are dropped (the operator confirmed it). */
  allowDrops?: boolean;
  /**
   * A project's first file whose tags are not the seed's, with no station model given: stop before
   * writing anything and hand back the suggested model for the operator to confirm or correct (the
   * Import page); without this the suggestion is used and stored with its reasons (the CLI).
   */
  confirmSuggestion?: boolean;
  /** The wall clock, for the plausible time range (a day past it at most). */
  now?: number;
  /** The earliest plausible time (default 1990-01-01). */
  earliest?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export type { HistorianImportSummary };

/** Drops over this share of the samples read are a warning at the top of the summary. */
export const DROP_WARNING_SHARE = 0.01;
/** Over this share the import is refused unless the operator confirms it. */
export const DROP_REFUSAL_SHARE = 0.5;

/**
 * The station model when it does not depend on the file (given in full but for the logging
 * interval, which is taken to be a minute until the file says otherwise; or stored and none
 * given), so the alert engine can start while the file is read. A wrong guess costs a rerun.
 */
function stationBeforeReading(given: StationInput | undefined, stored: StoredStation | undefined): StationModel | null {
  if (!given) return stored?.config ?? null;
  if (given.missing.some((f) => f !== 'interval_min')) return null;
  return deriveStation(given, NOTHING_OBSERVED).config;
}

/** Seconds per phase, and the progress the UI shows (bytes, ETA). */
class ImportClock {
  readonly timings: Record<string, number> = {};
  private phaseStart = performance.now();
  readonly started = performance.now();

  constructor(
    private readonly bytes: number,
    private readonly onProgress?: (progress: Progress) => void,
  ) {}

  lap(phase: string): void {
    const now = performance.now();
    this.timings[phase] = Math.round(now - this.phaseStart) / 1000;
    this.phaseStart = now;
  }

  progress(phase: string, fraction: number): void {
    const elapsed = (performance.now() - this.started) / 1000;
    this.onProgress?.({
      phase,
      fraction,
      done: Math.round(fraction * this.bytes),
      total: this.bytes,
      unit: 'bytes',
      etaSeconds: fraction > 0.02 ? (elapsed / fraction) * (1 - fraction) : null,
    });
  }

  seconds(): number {
    return Math.round((performance.now() - this.started) / 10) / 100;
  }
}

/** Stage 1: every sample into the pivot; finished days go to the alert engine while the file is read. */
async function readSamples(source: HistorianSource, context: ReadContext, early: AlertsOffThread | null) {
  const tags = early ? engineTags(early.start.station) : [];
  let handedOut = Number.NEGATIVE_INFINITY;
  const pivot = context.pivot;
  const onBatch = () => {
    // DuckDB's readers each take 2 MB of the file at a time, so samples arrive a few days out of
    // order (3 at most on the year bench): a day is handed out once the stream is well past it,
    // by three times the disorder seen so far. A sample turning up on a day handed out (an
    // unsorted file) invalidates the early run, which then starts over after the read.
    const through = pivot.maxDay - Math.max(4, 3 * pivot.maxLateness + 2);
    if (!early || through <= handedOut) return;
    handedOut = through;
    early.send(pivot.takeDaysThrough(handedOut, tags));
  };
  await source.read({ ...context, onBatch });
  const repeatedHours = pivot.repeatedHours();
  const { frame, cells } = pivot.finish();
  collectGarbage();
  return { frame, cells, repeatedHours };
}

/** Stage 2: what refuses the import (a bad row, a wrong clock, a file mostly dropped), before anything is written. */
async function checkSamples(source: HistorianSource, context: ReadContext, allowDrops: boolean) {
  const refusal = await source.refusal(context);
  if (refusal) throw refusal;
  const counts = context.pivot.counts;
  const samplesRead = counts.rows - counts.byCode[-DROP.sameRow];
  if (samplesRead === 0) throw new ApiError('bad_input', `${source.name}: no data rows after the header`);
  const dropped = dropCounts(counts.byCode, counts.nonFinite);
  const statusDrops = Object.values(dropped.status).reduce((a, b) => a + b, 0);
  const droppedTotal = dropped.ended + dropped.marker + statusDrops + dropped.nonFinite;
  const dropShare = droppedTotal / samplesRead;
  const reasons = dropReasons(dropped);
  if (dropShare > DROP_REFUSAL_SHARE && !allowDrops)
    throw new ApiError(
      'bad_input',
      `${source.name}: ${pct(dropShare)} of the samples would be dropped (${reasons}); nothing was imported. ` +
        'If that is right, import again allowing the drops (--allow-drops)',
      { needsChoice: 'allowDrops', dropShare, dropped },
    );
  return { samplesRead, dropped, droppedTotal, dropShare, reasons };
}

const pct = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;

/** Why samples were dropped, in words, largest first. */
function dropReasons(dropped: ReturnType<typeof dropCounts>): string {
  const parts: Array<[number, string]> = [
    [dropped.ended, 'marker E (logging ended)'],
    [dropped.marker, 'an unknown marker'],
    [dropped.nonFinite, 'an infinite value'],
    ...Object.entries(dropped.status).map(([code, n]): [number, string] => [
      n,
      `Status ${code}${code in STATUS_MEANING ? ` (${STATUS_MEANING[code as keyof typeof STATUS_MEANING]})` : ''}`,
    ]),
  ];
  return parts
    .filter(([n]) => n > 0)
    .sort((a, b) => b[0] - a[0])
    .map(([n, why]) => `${n.toLocaleString('en-US')} by ${why}`)
    .join(', ');
}

const hhmm = (ms: number) => formatTimestamp(ms).slice(0, 16);

/**
 * What the station's clock did in the file, in words: an hour logged twice (the clock put back
 * in autumn, or rows written twice) and, without a time zone, a missing hour that starts on the
 * hour at night (the clock put forward in spring?). With the time zone the spring hour is no gap
 * at all (samplingOf, the alert engine) and the autumn hour is named for what it is.
 */
function clockWarnings(times: Float64Array, interval: number, repeated: number[], timezone?: string): string[] {
  const warnings: string[] = [];
  const changes = timezone && times.length ? clockChanges(timezone, times[0], times[times.length - 1]) : [];
  for (const hour of repeated.slice(0, 3)) {
    const change = changes.find((c) => c.kind === 'repeated' && c.at === hour);
    warnings.push(
      change
        ? `${hhmm(hour)}-${hhmm(hour + 59 * 60_000).slice(11)} was logged twice: the clock went back an hour (${timezone}); the later pass is kept, the earlier one replaced`
        : `${hhmm(hour)}-${hhmm(hour + 59 * 60_000).slice(11)} was logged twice (a clock put back, daylight saving ending? or rows written twice): the later value of each tag-minute is kept${timezone ? '' : "; give the station's time zone (station.json timezone) to have it named"}`,
    );
  }
  if (repeated.length > 3) warnings.push(`${repeated.length - 3} more hours were logged twice`);
  if (timezone) return warnings;
  for (let i = 1; i < times.length; i++) {
    const step = Math.round((times[i] - times[i - 1]) / 60_000);
    const start = times[i - 1] + interval * 60_000;
    const hour = new Date(start).getUTCHours();
    if (step === 60 + interval && start % 3_600_000 === 0 && hour >= 1 && hour <= 3)
      warnings.push(
        `no rows ${hhmm(start)}-${hhmm(start + 59 * 60_000).slice(11)}: a clock put forward (daylight saving beginning?); give the station's time zone (station.json timezone) and it is not a gap`,
      );
  }
  return warnings;
}

/**
 * Stage 4 (in the transaction): the station model (given, stored, the seed's for the seed's tags,
 * else suggested from the data), its derived constants, and the raw tag columns the file brings.
 */
async function applyStation(
  db: StationDb,
  source: HistorianSource,
  incoming: MinuteFrame,
  interval: number,
  given: StationInput | undefined,
  stored: StoredStation | undefined,
  confirmSuggestion: boolean,
): Promise<{ station: StoredStation; changed: boolean; newTags: string[] }> {
  const before = new Set((await rawTagColumns(db)).map((t) => t.toLowerCase()));
  const newTags = source.tags.filter((t) => !before.has(t.toLowerCase()));
  const reserved = newTags.find((t) => RESERVED_COLUMNS.has(t.toLowerCase()));
  if (reserved)
    throw new ApiError(
      'bad_input',
      `${source.name}: the tag '${reserved}' has the name of a column PumpDeck derives; rename it in the export`,
    );
  await addTagColumns(db, newTags, before.size === 0);
  await writeTagMeta(db, source.tags, source.units, source.descriptions, source.name);
  let station: StoredStation;
  if (given) {
    station = deriveStation(
      given,
      observedOf(rawMinutes(incoming), given.model, interval, given.missing.includes('rated_kw')),
    );
    // Constants derived before and not given now stay derived (from all the data, at the next rebuild).
    if (stored)
      station.derived = [...new Set([...station.derived, ...stored.derived.filter((f) => given.missing.includes(f))])];
  } else if (stored) {
    station = keptDerived(stored, observedOf(rawMinutes(incoming), stored.config, interval, false));
  } else {
    const suggestion = suggestStation(
      { times: incoming.times, column: (tag) => incoming.values[incoming.tags.indexOf(tag)] },
      source.tags.map((tag) => ({ tag, unit: source.units[tag] ?? null })),
    );
    if (!hasSeedTags(source.tags) && confirmSuggestion)
      throw new ApiError(
        'bad_input',
        `${source.name}: its tags are not the seed's and the project has no station model yet: confirm or correct the one suggested from the data`,
        {
          needsChoice: 'station',
          suggestion: {
            ...suggestion,
            input: { ...suggestion.input, model: { ...suggestion.input.model, interval_min: interval } },
          },
        },
      );
    station = deriveStation(suggestion.input, observedOf(rawMinutes(incoming), suggestion.input.model, interval, true));
    if (!hasSeedTags(source.tags)) station.suggested = suggestion.reasons;
  }
  const changed = JSON.stringify(stored?.config) !== JSON.stringify(station.config);
  if (changed || !stored) await saveStation(db, station);
  if (
    await ensurePumpTables(
      db,
      station.config.pumps.map((p) => p.id),
    )
  )
    await db.run('DELETE FROM pump_sessions');
  return { station, changed, newTags };
}

/** Raw tag columns for `tags`: one CREATE for a new project's table (27 ALTERs took 0.2 s), else one ALTER each. */
async function addTagColumns(db: StationDb, tags: string[], noTagsYet: boolean): Promise<void> {
  const empty = noTagsYet && (await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM readings_wide'))?.n === 0;
  if (empty) await db.run(readingsWideDdl(tags, 'CREATE OR REPLACE TABLE'));
  else for (const tag of tags) await db.run(`ALTER TABLE readings_wide ADD COLUMN ${ident(tag)} DOUBLE`);
}

/** Stage 3: what the summary warns of: drops, repeated tag-minutes, gaps, the clock, skipped columns. */
function qualityWarnings(
  source: HistorianSource,
  pivot: MinutePivot,
  cells: number,
  checked: Awaited<ReturnType<typeof checkSamples>>,
  sampling: ReturnType<typeof samplingOf>,
  clockSeen: { times: Float64Array; repeatedHours: number[]; timezone?: string },
): { warnings: string[]; superseded: number } {
  const warnings: string[] = [];
  if (checked.dropShare > DROP_WARNING_SHARE)
    warnings.push(`${pct(checked.dropShare)} of the samples were dropped: ${checked.reasons}`);
  else if (checked.droppedTotal > 0) warnings.push(`${checked.droppedTotal} samples were dropped: ${checked.reasons}`);
  const { kept, empty, nonFinite } = pivot.counts;
  const superseded = kept - empty - nonFinite - cells;
  if (superseded > 0)
    warnings.push(
      `${superseded.toLocaleString('en-US')} samples shared a tag-minute with a later one: the minute keeps the last`,
    );
  if (sampling.gaps > 0)
    warnings.push(`${sampling.gaps} gaps in the data, ${sampling.gapMinutes} minutes missing in all`);
  warnings.push(...clockWarnings(clockSeen.times, sampling.interval, clockSeen.repeatedHours, clockSeen.timezone));
  warnings.push(...source.warnings);
  for (const s of source.skipped) warnings.push(`column ${s.name} was not imported: ${s.reason}`);
  return { warnings, superseded };
}

/**
 * Stage 5 (in the transaction): merge with the stored rows whose derived values the import can
 * change (from the first imported minute to a lookback window past the last; all data when the
 * station changed), with a lookback window before it as context, then write the minutes and
 * rebuild the tables. New values win; tags the file lacks keep their old values. Nothing is
 * rewritten when every sample is already there with the same value (a re-import).
 */
async function mergeAndApply(
  db: StationDb,
  incoming: MinuteFrame,
  station: StationModel,
  stationChanged: boolean,
  early: AlertsOffThread | null,
  clock: ImportClock,
  checkCancelled: () => void,
): Promise<{ updated: number; changed: number }> {
  const minutes = incoming.times.length;
  const lookback = DERIVED_LOOKBACK_MINUTES * 60_000;
  let lo = minutes ? incoming.times[0] : Number.POSITIVE_INFINITY;
  let hi = minutes ? incoming.times[minutes - 1] + lookback : Number.NEGATIVE_INFINITY;
  if (stationChanged) {
    const data = await db.single<{ lo: number | null; hi: number | null }>(
      `SELECT epoch_ms(min("Timestamp"))::DOUBLE AS lo, epoch_ms(max("Timestamp"))::DOUBLE AS hi FROM readings_wide`,
    );
    if (data.lo != null && data.hi != null) {
      lo = Math.min(lo, data.lo);
      hi = Math.max(hi, data.hi);
    }
  }
  const raw = await rawTagColumns(db);
  clock.progress('merging', 0.78);
  const merge = lo <= hi ? mergeMinutes(await loadMinutes(db, raw, lo - lookback, hi), incoming, raw) : null;
  // From here the merged frame holds the columns (applyMinutes drops them once written).
  if (merge) incoming.values = [];
  const overlap = { updated: merge?.updated ?? 0, changed: merge?.changed ?? 0 };
  checkCancelled();
  clock.lap('merge');
  if (merge && !(minutes === overlap.updated && overlap.changed === 0 && !stationChanged)) {
    let step = 0;
    let building = 'deriving';
    clock.progress('deriving', 0.8);
    await applyMinutes(db, station, merge.frame, lo, hi, early, (table) => {
      clock.lap(building);
      building = table;
      clock.progress(`building ${table}`, 0.84 + 0.03 * step++);
    });
    clock.lap(building);
    checkCancelled();
  }
  return overlap;
}

/** Why each station table still empty after an import is empty, in the station's terms. */
export function emptyTableReasons(tables: Record<string, number>, station: StationModel): Record<string, string> {
  const pumps = station.pumps.length;
  const applicable = catalogFor(station).filter((r) => r.applicable).length;
  const reasons: Record<string, string> = {
    readings_wide: 'no rows were imported',
    pump_sessions: pumps ? 'no pump ran in the data' : 'no pump in the station model: a log without pumps has no runs',
    pump_health: pumps ? 'no pump ran in the data' : 'no pump in the station model',
    alerts_log: `no alert was raised (${applicable} of ${RULES.length} rules apply to this station)`,
    hourly_profile: 'no rows were imported',
    daily_summary: 'no rows were imported',
  };
  return Object.fromEntries(Object.entries(tables).flatMap(([t, n]) => (n === 0 ? [[t, reasons[t] ?? 'empty']] : [])));
}

/** Rows in each station table, for the summary. */
export async function tableCounts(db: StationDb): Promise<Record<string, number>> {
  const tables: Record<string, number> = {};
  for (const table of STATION_TABLES)
    tables[table] = (await db.single<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`)).n;
  return tables;
}

/**
 * Imports a historian file (a narrow or wide CSV export, an RSView32 / FactoryTalk dBase log) into
 * readings_wide and rebuilds the station tables for the days it touches.
 */
// Long because it is the import's stages in order (read, check, warn, station, merge and apply, summary, commit) inside one transaction and its cleanup.
export async function importHistorian(
  mainDb: StationDb,
  path: string,
  options: HistorianImportOptions = {},
): Promise<HistorianImportSummary> {
  await ensureSchema(mainDb);
  const source = await openHistorianSource(mainDb, path, { tagTable: options.tagTable, dateOrder: options.dateOrder });
  const db = await mainDb.fork();
  const clock = new ImportClock(source.bytes, options.onProgress);
  const abort = () => db.interrupt();
  options.signal?.addEventListener('abort', abort, { once: true });
  const cancelled = () => new ApiError('cancelled', `import of ${source.name} was cancelled`);
  const checkCancelled = () => {
    if (options.signal?.aborted) throw cancelled();
  };
  const range: TimeRange = plausibleRange(options.now ?? Date.now(), options.earliest);
  let early: AlertsOffThread | null = null;
  try {
    const stored = await loadStation(db);
    const earlyStart = await alertStartBeforeReading(db, stationBeforeReading(options.station, stored));
    early = earlyStart ? new AlertsOffThread(earlyStart) : null;
    const context: ReadContext = {
      db,
      pivot: new MinutePivot(source.tags),
      range,
      checkCancelled,
      onBatch: () => {},
      onProgress: (fraction) => clock.progress('reading', fraction * 0.75),
    };
    clock.progress('reading', 0);
    const { frame: incoming, cells, repeatedHours } = await readSamples(source, context, early);
    if (context.pivot.late) {
      early?.abort();
      early = null;
    }
    checkCancelled();
    clock.lap('read+pivot');

    const checked = await checkSamples(source, context, options.allowDrops ?? false);
    clock.lap('checks');

    const minutes = incoming.times.length;
    const timezone = options.station?.model.timezone ?? stored?.config.timezone;
    const sampling = samplingOf(incoming.times, stored?.config.interval_min ?? 1, timezone);
    const { warnings, superseded } = qualityWarnings(source, context.pivot, cells, checked, sampling, {
      times: incoming.times,
      repeatedHours,
      timezone,
    });
    clock.lap('quality');

    // Until here nothing was written; from here on everything lands together or not at all.
    await db.run('BEGIN TRANSACTION');
    const applied = await applyStation(
      db,
      source,
      incoming,
      sampling.interval,
      options.station,
      stored,
      options.confirmSuggestion ?? false,
    );
    const { station, changed: stationChanged, newTags } = applied;
    clock.lap('station');

    const overlap = await mergeAndApply(db, incoming, station.config, stationChanged, early, clock, checkCancelled);

    const tables = await tableCounts(db);
    const { empty } = context.pivot.counts;
    const wide = source.layout === 'wide' || source.layout === 'rsview-wide-dbf';
    const summary: HistorianImportSummary = {
      file: path,
      layout: source.layout,
      bytes: source.bytes,
      rowsRead: wide ? Math.round(checked.samplesRead / Math.max(1, source.tags.length)) : checked.samplesRead,
      samplesRead: checked.samplesRead,
      samplesKept: context.pivot.counts.kept,
      dropped: { ...checked.dropped, superseded },
      dropShare: checked.dropShare,
      missingValues: empty,
      minutes,
      newMinutes: minutes - overlap.updated,
      updatedMinutes: overlap.updated,
      loggedMinutes: loggedMinutes(incoming.times, sampling.interval),
      first: minutes ? formatTimestamp(incoming.times[0]) : null,
      last: minutes ? formatTimestamp(incoming.times[minutes - 1]) : null,
      interval: sampling.interval,
      gaps: sampling.gaps,
      gapMinutes: sampling.gapMinutes,
      tags: source.tags.length,
      newTags,
      tagTable: source.tagTable,
      dateOrder: source.dateOrder,
      skippedColumns: source.skipped,
      tables,
      emptyTables: emptyTableReasons(tables, station.config),
      stationDerived: station.derived,
      stationSuggested: !stored && !options.station ? (station.suggested ?? null) : null,
      warnings,
      seconds: 0,
      timings: clock.timings,
    };
    summary.seconds = clock.seconds();
    await db.run(
      `INSERT INTO import_log VALUES (now()::TIMESTAMP, 'historian', ?, ?::TIMESTAMP, ?::TIMESTAMP, ?::JSON)`,
      [path, summary.first, summary.last, JSON.stringify(summary)],
    );
    checkCancelled();
    await db.run('COMMIT');
    clock.lap('commit');
    summary.seconds = clock.seconds();
    clock.progress('done', 1);
    return summary;
  } catch (error) {
    await db.run('ROLLBACK').catch(() => {});
    if (options.signal?.aborted) throw cancelled();
    throw error;
  } finally {
    early?.abort();
    options.signal?.removeEventListener('abort', abort);
    db.close();
  }
}
