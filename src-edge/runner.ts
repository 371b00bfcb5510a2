import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AlertEngine, resumable } from '../src-shared/alerts/engine';
import { type DebounceState, shouldReport } from '../src-shared/edge/debounce';
import { DEFAULT_SET_ASIDE, type DeploymentConfig, deploymentSchema } from '../src-shared/edge/deployment';
import { heartbeatOf } from '../src-shared/edge/fleet';
import { type AnomalyPayload, isoTimestamp } from '../src-shared/edge/payload';
import { checkPump, type Finding } from '../src-shared/edge/pumpChecks';
import { plausibleRange } from '../src-shared/historian/sampleCode';
import type { ModelBundle } from '../src-shared/models/bundle';
import type { Baseline, PumpReading } from '../src-shared/performance/deviation';
import { type Grade, PARAMETERS } from '../src-shared/performance/grades';
import type { PumpStatus } from '../src-shared/performance/tolerance';
import { type StationModel, seedStation } from '../src-shared/station/model';
import { frameReadings } from '../src-shared/station/signals';
import { DAY_MS, formatTimestamp, parseTimestamp } from '../src-shared/time';
import { ArtifactRefused, type Manifest, sha256, verifyArtifact } from './artifact';
import { deliver, postHeartbeat } from './delivery';
import { type Quarantined, readJsonOrQuarantine, writeDurable } from './durable';
import { type DeliverySummary, flushSpool } from './flush';
import type { Cursors } from './inputCursor';
import { readTagMap } from './readLogs';
import { newMinutes, newPumpRows, type ReadTally } from './siteInput';
import { Spool } from './spool';

// The headless edge runner: `node runner.mjs --config config/deployment_config.json --once|--watch
// [--input FILE_OR_DIR]`. It verifies the artifact, reads the site's CSVs, runs the shared HI
// checks, model and anomaly detector (pump artifacts) or alert engine (station artifacts), decides
// what to report as seed 000 does with its state kept on disk, spools every report and delivers
// the spool in order. Exit codes: 0 ok, 1 failed, 2 usage, 3 artifact refused.

const RUNNER_VERSION = '1';
const USAGE =
  'Usage: node runner.mjs --config config/deployment_config.json --once|--watch [--input FILE_OR_DIR] [--resend-rejected] [--clear-set-aside]';

interface RunnerState {
  debounce: DebounceState;
  /** Station artifacts: the alert engine between runs, and the last minute it has seen. */
  engine: unknown;
  lastMinute: number | null;
  /** How far each input file was read (absent in state files written before cursors). */
  inputs?: Cursors;
}

function isState(value: unknown): value is RunnerState {
  const v = value as RunnerState;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.debounce === 'object' &&
    v.debounce !== null &&
    typeof v.debounce.subjects === 'object' &&
    (v.lastMinute === null || typeof v.lastMinute === 'number')
  );
}

const FRESH_STATE = (): RunnerState => ({ debounce: { subjects: {} }, engine: null, lastMinute: null });

function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

interface Artifact {
  dir: string;
  manifest: Manifest;
  config: DeploymentConfig;
  baseline: Baseline | null;
  grade: Grade;
  mapping: Partial<Record<string, string>>;
  models: ModelBundle[];
  station: StationModel | null;
}

function loadArtifact(configPath: string): Artifact {
  const dir = resolve(dirname(configPath), '..');
  const manifest = verifyArtifact(dir);
  // Only a config the artifact signed is used: a file beside it (data/, a copy) could say anything.
  const configName = relative(dir, configPath).split('\\').join('/');
  if (!(configName in manifest.files) || !configName.startsWith('config/'))
    throw new ArtifactRefused(`artifact refused: ${configName} is not a config file signed in its manifest`);
  const json = <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
  const parsed = deploymentSchema.safeParse(JSON.parse(readFileSync(configPath, 'utf8')));
  if (!parsed.success)
    throw new Error(`${configPath}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  const config = parsed.data;
  const models = Object.keys(manifest.files)
    .filter((f) => f.startsWith('model/'))
    .map((f) => json<ModelBundle>(f));
  const tolerances = existsSync(join(dir, 'config/tolerances.json'))
    ? json<{ grade: Grade }>('config/tolerances.json')
    : { grade: '2B' as Grade };
  return {
    dir,
    manifest,
    config,
    baseline: existsSync(join(dir, 'config/baseline.json'))
      ? json<{ values: Baseline }>('config/baseline.json').values
      : null,
    grade: config.grade ?? tolerances.grade,
    mapping: existsSync(join(dir, 'config/column_mapping.json')) ? json('config/column_mapping.json') : {},
    models,
    station: existsSync(join(dir, 'config/station.json'))
      ? stationOf(json<Record<string, unknown>>('config/station.json'))
      : null,
  };
}

/** The station model an artifact carries; artifacts built before the model carry the seed's constants. */
function stationOf(json: Record<string, unknown>): StationModel {
  return Array.isArray(json.pumps) ? (json as unknown as StationModel) : seedStation(json);
}

const inDir = (a: Artifact, path: string) => (isAbsolute(path) ? path : join(a.dir, path));

/** Files a historian folder holds that are not logs to read (tag tables, string logs). */
const NOT_A_LOG = /\((tagname|string)\)|^tags?\b|tag ?names?/i;

function inputFiles(path: string): string[] {
  if (!existsSync(path)) throw new Error(`input ${path}: no such file or folder`);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.(csv|txt|tsv|dbf|dat)$/i.test(f) && !NOT_A_LOG.test(f))
    .sort()
    .map((f) => join(path, f));
}

/** The tag table beside the site's logs, if there is one (a `(Tagname)` file or tags.csv). */
function tagTableOf(path: string): string | null {
  const dir = existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
  const found = readdirSync(dir).filter((f) => /\(tagname\)|^tags?\.(csv|dbf|dat)$/i.test(f));
  return found.length === 1 ? join(dir, found[0]) : null;
}

/**
 * Days of the pump's readings kept on site (data/window.json): what the checks look back over, the
 * models' longest feature window (168 h) with its slope a window earlier, and the 14-day trend. A
 * first exceedance is the first within them.
 */
const WINDOW_DAYS = 14;

interface PumpWindow {
  readings: PumpReading[];
}

const isWindow = (value: unknown): value is PumpWindow => Array.isArray((value as PumpWindow)?.readings);

/** The readings the input files added since the last run, appended to the window kept on site; whether it changed. */
function pumpReadings(
  a: Artifact,
  files: string[],
  cursors: Cursors,
  tally: ReadTally,
  window: PumpWindow,
  notes: string[],
): boolean {
  const added: PumpReading[] = [];
  for (const file of files) {
    const table = newPumpRows(file, cursors, tally);
    if (!table) continue;
    const index = Object.fromEntries(
      PARAMETERS.map((p) => {
        const column = a.mapping[p];
        return [p, column ? table.columns.indexOf(column) : -1];
      }),
    );
    for (const p of PARAMETERS)
      if (a.mapping[p] && index[p] < 0)
        throw new Error(`${file}: line 1: no column '${a.mapping[p]}' for ${p} (columns: ${table.columns.join(', ')})`);
    const cell = (row: Array<number | null>, p: string) => (index[p] >= 0 ? row[index[p]] : null);
    table.rows.forEach((row, i) => {
      added.push({
        t: table.ms[i],
        flow: cell(row, 'flow'),
        head: cell(row, 'head'),
        power: cell(row, 'power'),
        efficiency: cell(row, 'efficiency'),
      });
    });
  }
  added.sort((x, y) => x.t - y.t);
  const newest = window.readings.at(-1)?.t ?? Number.NEGATIVE_INFINITY;
  const late = added.filter((r) => r.t <= newest).length;
  if (late) notes.push(`${late} readings not newer than the newest already read were skipped`);
  for (const r of added) if (r.t > newest) window.readings.push(r); // no spread: a year is too many arguments
  const from = (window.readings.at(-1)?.t ?? 0) - WINDOW_DAYS * DAY_MS;
  const keep = window.readings.findIndex((r) => r.t > from);
  window.readings.splice(0, keep < 0 ? window.readings.length : keep);
  return added.length > late;
}

type PumpCheck = ReturnType<typeof checkPump>;

interface RunResult {
  asOf: string | null;
  status: string;
  findings: Array<Finding & { reported: boolean; reason: string }>;
  notes: string[];
  /** Pump artifacts: deviations, the model's prediction and the anomaly score at asOf. */
  pump?: Pick<ReturnType<typeof checkPump>, 'deviations' | 'prediction' | 'anomaly'>;
}

const SEVERITY_STATUS: Record<string, PumpStatus> = { CRITICAL: 'Critical', HIGH: 'Warning', WARNING: 'Warning' };

async function stationRun(
  a: Artifact,
  files: string[],
  state: RunnerState,
  tally: ReadTally,
  notes: string[],
): Promise<{ asOf: string | null; findings: Finding[]; cleared: string[] }> {
  const station = a.station as StationModel;
  const engine = new AlertEngine(station);
  // A state an older runner saved is of another shape: the engine starts over on the new readings.
  if (state.engine && resumable(state.engine)) engine.restore(state.engine);
  else if (state.engine) notes.push('the alert engine state was saved by an older runner: its rules start over');
  const findings: Finding[] = [];
  const cleared: string[] = [];
  let last: number | null = null;
  const table = files.length ? tagTableOf(files[0]) : null;
  const tagMap = table ? await readTagMap(table) : null;
  state.inputs ??= {};
  for (const file of files) {
    const read = await newMinutes(file, state.inputs, plausibleRange(Date.now()), tagMap, station.date_order, tally);
    if (!read) continue;
    for (const minute of frameReadings(read.frame, station, state.lastMinute)) {
      if (read.heldFrom !== null && minute.time >= read.heldFrom) break;
      if (last !== null && minute.time <= last) continue; // a file overlapping the one before
      last = minute.time;
      for (const event of engine.push(minute)) {
        const status = SEVERITY_STATUS[event.alert.severity];
        const subject = `${event.alert.rule}${event.alert.pump ? `|${event.alert.pump}` : ''}`;
        if (event.type === 'clear') cleared.push(subject);
        if (event.type !== 'raise' || !status) continue;
        findings.push({
          subject,
          status,
          description: `${event.alert.rule} ${event.alert.severity}${event.alert.pump ? ` ${event.alert.pump}` : ''}: ${event.alert.message}`,
          value: event.alert.valueAtTrigger ?? 0,
          context: {
            rule: event.alert.rule,
            severity: event.alert.severity,
            pump: event.alert.pump,
            raised: formatTimestamp(event.alert.timestamp),
            status,
          },
          at: formatTimestamp(event.alert.timestamp),
        });
      }
    }
  }
  state.engine = engine.snapshot();
  if (last !== null) state.lastMinute = last;
  return { asOf: state.lastMinute === null ? null : formatTimestamp(state.lastMinute), findings, cleared };
}

/**
 * Seed 000's payload. A pump with a model in production carries its prediction (RUL days and
 * confidence) in the metadata of every report, not only of a "predicted failure" one.
 */
function payloadFor(
  a: Artifact,
  finding: Finding,
  at: string,
  key: string,
  prediction: PumpCheck['prediction'] | undefined,
): AnomalyPayload {
  const sensor = a.config.site.sensorIds[finding.subject.split('|')[0]] ?? a.config.site.sensorIds.station ?? 0;
  const model = a.models[0];
  return {
    sourceType: 'log',
    description: finding.description,
    siteId: a.config.site.siteId,
    pumpId: a.config.site.pumpId,
    sensorId: sensor,
    timestamp: isoTimestamp(at),
    logValue: finding.value,
    additionalContext: { ...finding.context, subject: finding.subject },
    metadata: {
      idempotencyKey: key,
      artifactVersion: a.manifest.version,
      runnerVersion: RUNNER_VERSION,
      modelVersion: model ? String(model.version) : null,
      ...(prediction ? { prediction_rul_days: prediction.rulDays, confidence: prediction.risk } : {}),
    },
  };
}

// Long because a run's steps in order: state, checks, reports to spool, delivery, results and health.
/** What the operator asked of the set-aside reports this run: send them again, or clear them (and the retention drops) for good. */
interface SetAsideAction {
  resend: boolean;
  clear: boolean;
}

async function runOnce(a: Artifact, inputOverride: string | undefined, action: SetAsideAction): Promise<RunResult> {
  const dataDir = process.env.PUMPDECK_DATA_DIR ?? inDir(a, a.config.storage.dataDir);
  const statePath = join(dataDir, 'state.json');
  const windowPath = join(dataDir, 'window.json');
  const corruptDir = join(dataDir, 'corrupt');
  const quarantined: Quarantined[] = [];
  // A state file cut short by a power cut must not stop the site for good: set it aside and start
  // afresh (the debounce forgets what it reported; the spool's idempotency keys prevent duplicates).
  const state = readJsonOrQuarantine(statePath, corruptDir, isState, quarantined) ?? FRESH_STATE();
  const spool = new Spool(join(dataDir, 'unsent_anomalies'), join(dataDir, 'rejected'), corruptDir);
  const droppedPath = join(dataDir, 'dropped.json');
  if (action.resend) log('info', 'reports set aside go back to the spool', { count: spool.resendRejected() });
  if (action.clear) {
    log('warn', 'reports set aside and dropped by retention are cleared for good', {
      setAside: spool.clearRejected(),
      dropped: readDropped(droppedPath, corruptDir, quarantined).length,
    });
    rmSync(droppedPath, { force: true });
  }
  const files = inputFiles(inputOverride ? resolve(inputOverride) : inDir(a, a.config.schedule.input));
  const notes: string[] = [];
  const tally: ReadTally = { files: 0, bytes: 0 };
  let asOf: string | null;
  let findings: Finding[];
  let status = 'Normal';
  /** Subjects back to Normal this run: their debounce timers reset (seed 000). */
  let normal: string[];
  let pump: RunResult['pump'];
  if (a.config.kind === 'pump') {
    if (!a.baseline) throw new Error('this pump artifact has no config/baseline.json');
    // The window and the cursors go together: without the window, read the input again from the top.
    const window = readJsonOrQuarantine(windowPath, corruptDir, isWindow, quarantined);
    if (!window) state.inputs = {};
    const kept = window ?? { readings: [] };
    state.inputs ??= {};
    // Rewritten only when readings came in: a Pi's SD card is not written a megabyte an hour for nothing.
    if (pumpReadings(a, files, state.inputs, tally, kept, notes)) writeDurable(windowPath, JSON.stringify(kept));
    const check = checkPump(kept.readings, a.baseline, a.grade, a.models, a.config.reporting.minRowsForModel);
    ({ asOf, findings, status } = check);
    pump = { deviations: check.deviations, prediction: check.prediction, anomaly: check.anomaly };
    notes.push(...check.notes);
    normal = [...PARAMETERS, 'model', 'anomaly'].filter((s) => !findings.some((f) => f.subject === s));
  } else {
    let cleared: string[];
    ({ asOf, findings, cleared } = await stationRun(a, files, state, tally, notes));
    normal = cleared.filter((s) => !findings.some((f) => f.subject === s));
    status = findings.length ? 'Alerts' : 'Normal';
  }

  const now = asOf ? parseTimestamp(asOf) : Date.now();
  const results: RunResult['findings'] = [];
  for (const finding of findings) {
    const at = finding.at ?? asOf;
    const decision = a.config.reporting.enabled
      ? shouldReport(
          state.debounce,
          finding.subject,
          finding.status,
          at ? parseTimestamp(at) : now,
          a.config.reporting.debounceMinutes,
        )
      : { report: false, reason: 'reporting disabled' };
    results.push({ ...finding, reported: decision.report, reason: decision.reason });
    if (!decision.report || !at) continue;
    const key = sha256(
      `${a.config.site.siteId}|${a.config.site.pumpId}|${finding.subject}|${at}|${finding.status}`,
    ).slice(0, 32);
    spool.add(key, payloadFor(a, finding, at, key, pump?.prediction), Date.now());
  }
  for (const subject of normal)
    shouldReport(state.debounce, subject, 'Normal', now, a.config.reporting.debounceMinutes);
  // Files gone from the input (a day's log rolled away) need no cursor: state.json stays small.
  for (const path of Object.keys(state.inputs ?? {})) if (!files.includes(path)) delete state.inputs?.[path];
  writeDurable(statePath, JSON.stringify(state));

  const dropped = spool.enforceRetention(
    Date.now(),
    a.config.storage.spoolMaxAgeDays,
    a.config.storage.spoolMaxMb * 1e6,
  );
  for (const d of dropped) log('warn', 'spool retention dropped an anomaly', { file: d });
  // Kept for health.json until the operator clears them: a loss is not only a log line.
  if (dropped.length)
    writeDurable(droppedPath, JSON.stringify([...readDropped(droppedPath, corruptDir, quarantined), ...dropped]));
  const delivery = await flush(a, spool);
  quarantined.push(...spool.quarantined);
  for (const q of quarantined) log('warn', 'an unreadable file was moved aside', { ...q });
  const result: RunResult = { asOf, status, findings: results, notes, pump };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeDurable(
    join(dataDir, 'results', `${stamp}.json`),
    JSON.stringify({ ...result, delivery, runnerVersion: RUNNER_VERSION, artifact: a.manifest.version }, null, 2),
  );
  pruneResults(join(dataDir, 'results'), a.config.storage.resultsKeepDays);
  const healthNow = health(
    a,
    asOf,
    status,
    delivery,
    spool,
    readDropped(droppedPath, corruptDir, quarantined),
    quarantined,
  );
  writeDurable(join(dataDir, 'health.json'), JSON.stringify(healthNow, null, 2));
  await sendHeartbeat(a, healthNow);
  log('info', 'run finished', {
    asOf,
    status,
    findings: results.length,
    reported: results.filter((r) => r.reported).length,
    ...delivery,
    notes,
    read: tally,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  });
  return result;
}

/** The reports spool retention dropped and the operator has not cleared yet. */
function readDropped(path: string, corruptDir: string, quarantined: Quarantined[]): string[] {
  return readJsonOrQuarantine(path, corruptDir, (v): v is string[] => Array.isArray(v), quarantined) ?? [];
}

/**
 * health.json: ok while reports go out and none was lost; a report set aside or dropped by
 * retention keeps it not ok, named, until it is delivered (--resend-rejected) or cleared
 * (--clear-set-aside).
 */
function health(
  a: Artifact,
  asOf: string | null,
  status: string,
  delivery: DeliverySummary,
  spool: Spool,
  dropped: string[],
  quarantined: Quarantined[],
) {
  const setAside = spool.setAsideReports();
  const lost = [
    ...(setAside.length ? [`${setAside.length} report${setAside.length === 1 ? '' : 's'} set aside in rejected/`] : []),
    ...(dropped.length
      ? [`${dropped.length} report${dropped.length === 1 ? '' : 's'} dropped by spool retention`]
      : []),
  ];
  return {
    ok: delivery.error === null && lost.length === 0,
    reason: delivery.error ?? (lost.length ? `${lost.join('; ')}: --resend-rejected or --clear-set-aside` : null),
    lastRun: new Date().toISOString(),
    asOf,
    status,
    spooled: delivery.waiting,
    oldestWaitingMinutes: delivery.oldestWaitingMinutes,
    rejected: setAside.length,
    setAside,
    dropped,
    delivery,
    warnings: quarantined.map((q) => `${q.file} was unreadable (${q.reason}): moved to ${q.movedTo}`),
    artifact: a.manifest.version,
    runnerVersion: RUNNER_VERSION,
  };
}

/** The API the runner reports to: its URL and token (null: none set). */
function apiTarget(a: Artifact): { url: string; token: string | null } {
  const token =
    process.env.ANOMALY_API_TOKEN ??
    (a.config.api.tokenFile && existsSync(inDir(a, a.config.api.tokenFile))
      ? readFileSync(inDir(a, a.config.api.tokenFile), 'utf8').trim()
      : null);
  return { url: process.env.ANOMALY_API_URL ?? a.config.api.url, token };
}

/** The run's health.json to the API, so a site that stops running shows as silent in the fleet. */
async function sendHeartbeat(a: Artifact, health: Record<string, unknown>): Promise<void> {
  const { url, token } = apiTarget(a);
  if (!token || !a.config.reporting.enabled) return;
  const failed = await postHeartbeat(heartbeatOf(a.config.site.siteId, health), {
    url,
    token,
    timeoutMs: a.config.api.timeoutSeconds * 1000,
  });
  if (failed) log('warn', 'the heartbeat did not reach the API; the next run sends another', { reason: failed });
}

async function flush(a: Artifact, spool: Spool): Promise<DeliverySummary> {
  const { url, token } = apiTarget(a);
  const policy = {
    attempts: a.config.storage.setAsideAfterAttempts ?? DEFAULT_SET_ASIDE.attempts,
    baseMinutes: a.config.storage.retryBaseMinutes ?? DEFAULT_SET_ASIDE.baseMinutes,
  };
  if (!token) {
    const waiting = spool.list();
    return {
      delivered: 0,
      setAside: 0,
      waiting: waiting.length,
      backingOff: 0,
      error: 'no API token (set ANOMALY_API_TOKEN or api.tokenFile): anomalies wait in the spool',
      oldestWaitingMinutes: waiting.length
        ? Math.round((Date.now() - Math.min(...waiting.map((e) => e.spooledAt))) / 60_000)
        : null,
    };
  }
  return flushSpool(
    spool,
    (entry) =>
      deliver(entry.payload, entry.key, {
        url,
        token,
        timeoutMs: a.config.api.timeoutSeconds * 1000,
        retries: a.config.api.retries,
        backoffMs: a.config.api.backoffSeconds * 1000,
      }),
    policy,
    Date.now(),
    log,
  );
}

function pruneResults(dir: string, keepDays: number): void {
  if (!existsSync(dir)) return;
  const cutoff = Date.now() - keepDays * 86_400_000;
  for (const f of readdirSync(dir)) if (statSync(join(dir, f)).mtimeMs < cutoff) rmSync(join(dir, f), { force: true });
}

const OPTIONS = {
  config: { type: 'string' },
  once: { type: 'boolean' },
  watch: { type: 'boolean' },
  input: { type: 'string' },
  'resend-rejected': { type: 'boolean' },
  'clear-set-aside': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

async function main(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.config || values.once === values.watch) {
    console.error(USAGE);
    return 2;
  }
  let artifact: Artifact;
  try {
    artifact = loadArtifact(resolve(values.config));
  } catch (error) {
    log('error', (error as Error).message);
    return error instanceof ArtifactRefused ? 3 : 1;
  }
  if (values.once) {
    try {
      await runOnce(artifact, values.input, {
        resend: values['resend-rejected'] ?? false,
        clear: values['clear-set-aside'] ?? false,
      });
      return 0;
    } catch (error) {
      log('error', 'run failed', { error: (error as Error).message });
      return 1;
    }
  }
  let stop = false;
  const onSignal = () => (stop = true);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let action = { resend: values['resend-rejected'] ?? false, clear: values['clear-set-aside'] ?? false };
  while (!stop) {
    try {
      await runOnce(artifact, values.input, action);
      action = { resend: false, clear: false };
    } catch (error) {
      log('error', 'run failed', { error: (error as Error).message });
    }
    for (let waited = 0; waited < artifact.config.schedule.intervalSeconds && !stop; waited += 1)
      await new Promise((r) => setTimeout(r, 1000));
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
