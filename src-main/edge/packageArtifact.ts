import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import type { Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { DEFAULT_SENSOR_IDS, DEFAULT_SET_ASIDE, type DeploymentConfig } from '../../src-shared/edge/deployment';
import type { ModelBundle } from '../../src-shared/models/bundle';
import { beatsNaive, qualityText } from '../../src-shared/models/naive';
import { baselineValues, resolveGrade } from '../../src-shared/performance/baselineRecord';
import { GRADES } from '../../src-shared/performance/grades';
import { PUMPS } from '../../src-shared/tags';
import { builtFile } from '../builtFile';
import type { StationDb } from '../db/stationDb';
import { checkOutput, type OutputOptions, writeOutputData } from '../files/outputFile';
import { guessMapping, savedMapping } from '../ingest/pumpOperational';
import { currentStation } from '../ingest/stationConfig';
import { getModel, loadBundle } from '../models/registry';
import { requireBaseline } from '../performance/pumpPerformance';
import { pumpReadingsRelation } from '../performance/pumpReadingsSource';
import { dataHome } from '../project';
import { VERSION } from '../version';
import { cronLine, siteReadme, systemdService, systemdTimer } from './siteFiles';

// The export wizard's artifact (seed 000 ArtifactPackager, fixed): a zip with a signed manifest
// of every file's sha256, the pump's production models with its anomaly detector, baseline,
// tolerances, column mapping, deployment config (no token), the bundled runner, systemd units,
// a cron line and a README for the site. Built in memory and renamed into place whole.

export interface PackageOptions {
  pump?: string;
  station?: boolean;
  out: string;
  /** How the zip may be written (replace an existing file; the project it must never touch). */
  output?: OutputOptions;
  keyPath?: string;
  apiUrl?: string;
  siteId?: number;
  pumpId?: number;
  debounceMinutes?: number;
  intervalSeconds?: number;
  /** Delivery retries and the first backoff (doubling, with jitter). */
  retries?: number;
  backoffSeconds?: number;
  timeoutSeconds?: number;
  /** A report the API keeps failing on alone is set aside after this many attempts over these hours. */
  setAside?: { attempts: number; baseMinutes: number };
  modelVersions?: { rul?: number; risk?: number };
  /** Package a model that did not beat its naive baseline (the engineer confirmed it). */
  acceptWeakModels?: boolean;
  now?: Date;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface PackageResult {
  path: string;
  bytes: number;
  files: string[];
  version: string;
  models: string[];
  notes: string[];
  /** sha256 of the signing public key (DER), first 16 hex digits: what to compare with the pinned key. */
  keyFingerprint: string;
}

export const DEFAULT_KEY = () => join(dataHome(), 'keys', 'signing.key');

/**
 * Writes an ed25519 key pair: PATH (private, mode 0600) and PATH.pub; neither may exist. The
 * console's own default key gets its folder made; a path the user names must be in a folder that exists.
 */
export async function generateSigningKey(
  path: string,
  options: { makeFolder?: boolean } = {},
): Promise<{ privateKey: string; publicKey: string }> {
  if (existsSync(path)) throw new ApiError('bad_input', `${path} exists: keygen does not overwrite a key`);
  if (options.makeFolder) await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await checkOutput(`${path}.pub`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await writeOutputData(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await writeOutputData(`${path}.pub`, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateKey: path, publicKey: `${path}.pub` };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);

// Long because it lists every file of the artifact in the order the manifest signs them.
export async function packageArtifact(db: StationDb, options: PackageOptions): Promise<PackageResult> {
  if (!options.pump === !options.station)
    throw new ApiError('bad_input', 'package one pump (pump) or the station (station)');
  const progress = (phase: string) => {
    if (options.signal?.aborted) throw new ApiError('cancelled', 'packaging was cancelled');
    options.onProgress?.({ phase, fraction: null });
  };
  // Refused before the work, not after it.
  await checkOutput(options.out, options.output);
  progress('collecting');
  const keyPath = options.keyPath ?? DEFAULT_KEY();
  if (!existsSync(keyPath)) {
    if (options.keyPath)
      throw new ApiError('bad_input', `${keyPath}: no such key (make one with pumpdeck keygen --out ${keyPath})`);
    await generateSigningKey(keyPath, { makeFolder: true });
  }
  // The console's own key is not named by its path in messages (they reach browsers and logs).
  const keyName = options.keyPath ?? "the console's signing key";
  const privateKey = createPrivateKey(await readFile(keyPath, 'utf8'));
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new ApiError('bad_input', `${keyName}: not an ed25519 private key`);
  const now = options.now ?? new Date();
  const files: Record<string, Uint8Array> = {};
  const notes: string[] = [];
  const models: string[] = [];
  const kind = options.pump ? 'pump' : 'station';
  let range: { from: string | null; to: string | null };

  if (options.pump) {
    const pump = options.pump;
    const record = await requireBaseline(db, pump);
    const { grade, source } = resolveGrade(record);
    files['config/baseline.json'] = text({ pump, values: baselineValues(record), record });
    files['config/tolerances.json'] = text({ standard: 'ANSI/HI 14.6', grade, gradeSource: source, grades: GRADES });
    files['config/column_mapping.json'] = text(
      (await savedMapping(db, pump)) ??
        guessMapping(['Flow (gpm)', 'Discharge Pressure (psi)', 'Motor Power (hp)', 'Pump Efficiency (%)']),
    );
    for (const modelKind of ['rul', 'risk'] as const) {
      const bundle: ModelBundle | null = await loadBundle(db, pump, modelKind, options.modelVersions?.[modelKind]);
      const summary = bundle ? await getModel(db, pump, modelKind, bundle.version) : undefined;
      if (bundle && summary && !beatsNaive(summary)) {
        if (!options.acceptWeakModels)
          throw new ApiError(
            'bad_input',
            `${modelKind} model v${bundle.version} of pump ${pump} does not beat its naive baseline on its holdout (${qualityText(summary)}): confirm to package it anyway`,
            { needsChoice: 'acceptWeakModels' },
          );
        notes.push(
          `${modelKind} v${bundle.version} does not beat its naive baseline (${qualityText(summary)}): packaged on request`,
        );
      }
      if (bundle) {
        files[`model/${modelKind}.json`] = text(JSON.stringify(bundle));
        models.push(`${modelKind} v${bundle.version}`);
      }
    }
    if (models.length === 0) notes.push(`pump ${pump} has no production model: the artifact runs the HI checks only`);
    range = await db.single<{ from: string | null; to: string | null }>(
      `SELECT strftime(min(ts), '%Y-%m-%d %H:%M:%S') AS "from", strftime(max(ts), '%Y-%m-%d %H:%M:%S') AS "to" FROM ${await pumpReadingsRelation(db, pump)}`,
    );
  } else {
    files['config/station.json'] = text((await currentStation(db)).config);
    range = await db.single<{ from: string | null; to: string | null }>(
      `SELECT strftime(min("Timestamp"), '%Y-%m-%d %H:%M:%S') AS "from", strftime(max("Timestamp"), '%Y-%m-%d %H:%M:%S') AS "to" FROM readings_wide`,
    );
  }

  const deployment: DeploymentConfig = {
    format: 'pumpdeck-edge/1',
    kind,
    pump: options.pump ?? null,
    api: {
      url: options.apiUrl ?? 'http://127.0.0.1:8787',
      tokenFile: 'api_token',
      timeoutSeconds: options.timeoutSeconds ?? 10,
      retries: options.retries ?? 3,
      backoffSeconds: options.backoffSeconds ?? 2,
    },
    site: {
      siteId: options.siteId ?? 1,
      pumpId:
        options.pumpId ??
        (options.pump && PUMPS.includes(options.pump as never) ? PUMPS.indexOf(options.pump as never) + 1 : 1),
      sensorIds: DEFAULT_SENSOR_IDS,
    },
    reporting: { enabled: true, debounceMinutes: options.debounceMinutes ?? 60, minRowsForModel: 168 },
    grade: null,
    schedule: { intervalSeconds: options.intervalSeconds ?? 3600, input: 'input' },
    storage: {
      dataDir: 'data',
      spoolMaxAgeDays: 30,
      spoolMaxMb: 50,
      resultsKeepDays: 14,
      setAsideAfterAttempts: options.setAside?.attempts ?? DEFAULT_SET_ASIDE.attempts,
      retryBaseMinutes: options.setAside?.baseMinutes ?? DEFAULT_SET_ASIDE.baseMinutes,
    },
  };
  const name = options.pump ? `pump ${options.pump}` : 'station';
  const version = `${now.toISOString().slice(0, 10).replaceAll('-', '')}.${Math.floor(now.getTime() / 1000) % 100000}`;
  files['config/deployment_config.json'] = text(deployment);
  files['runner.mjs'] = new Uint8Array(await readFile(builtFile('edge/runner.mjs', 'the edge runner')));
  files['systemd/pumpdeck-runner.service'] = text(systemdService());
  files['systemd/pumpdeck-runner.timer'] = text(systemdTimer(deployment.schedule.intervalSeconds));
  files['cron.txt'] = text(cronLine());
  files['README.md'] = text(siteReadme({ name, version, deployment, models, notes }));

  progress('signing');
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  files['signing_key.pub'] = text(publicKey);
  const manifest = {
    format: 'pumpdeck-artifact/1',
    version,
    created: now.toISOString(),
    createdBy: `PumpDeck ${VERSION}`,
    kind,
    pump: options.pump ?? null,
    source: range,
    models,
    files: Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, sha256(bytes)])),
  };
  files['manifest.json'] = text(manifest);
  files['manifest.sig'] = text(`${sign(null, Buffer.from(files['manifest.json']), privateKey).toString('base64')}\n`);

  progress('compressing');
  const zip = zipSync(files, { level: 9 });
  progress('writing');
  await writeOutputData(options.out, zip, options.output);
  const keyFingerprint = sha256(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })).slice(0, 16);
  return {
    path: options.out,
    bytes: (await stat(options.out)).size,
    files: Object.keys(files).sort(),
    version,
    models,
    notes,
    keyFingerprint,
  };
}
