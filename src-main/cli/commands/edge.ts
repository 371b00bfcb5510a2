import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { StationDb } from '../../db/stationDb';
import { generateSigningKey, packageArtifact } from '../../edge/packageArtifact';
import { type Command, intOption, parseCommandArgs, printed, progressPrinter, UsageError } from '../command';

export const keygenCommand: Command = {
  name: 'keygen',
  usage: `Usage: pumpdeck keygen --out PATH

Writes the private key to PATH (mode 0600; it never enters an artifact) and the public key to
PATH.pub (pin it on the sites with PUMPDECK_TRUSTED_KEY). An existing key is not overwritten.`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { out: { type: 'string' } });
    if (values.help) return printed(this.usage);
    if (!values.out) throw new UsageError('--out PATH is required');
    const keys = await generateSigningKey(resolve(values.out));
    console.log(`wrote ${keys.privateKey} (private, keep it) and ${keys.publicKey}`);
    return 0;
  },
};

export const packageCommand: Command = {
  name: 'package',
  usage: `Usage: pumpdeck package --db FILE --pump ID|--station --out FILE.zip [--force] [--key FILE] [--api-url URL] [--site ID] [--pump-id N] [--debounce MIN] [--interval SEC] [--accept-weak-models] [--json]

The zip holds manifest.json (version, created, source data range, sha256 of every file) and its
ed25519 signature, the pump's production models and anomaly detector (a pump with no model gets
the HI checks only), baseline, tolerances, column mapping, deployment_config.json (no token),
runner.mjs (Node 18+, no node_modules), systemd units, a cron line and a README for the site.
--key defaults to the PumpDeck data folder's keys/signing.key, made on first use.
A model that does not beat its naive baseline on its holdout is refused unless
--accept-weak-models says to package it anyway (the README then notes it). A failed build
leaves no zip; an existing FILE.zip is replaced only with --force, a database never.`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      pump: { type: 'string' },
      station: { type: 'boolean' },
      out: { type: 'string' },
      key: { type: 'string' },
      'api-url': { type: 'string' },
      site: { type: 'string' },
      'pump-id': { type: 'string' },
      debounce: { type: 'string' },
      interval: { type: 'string' },
      'accept-weak-models': { type: 'boolean' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
    });
    if (values.help) return printed(this.usage);
    if (!values.db) throw new UsageError('--db FILE is required');
    if (!values.out) throw new UsageError('--out FILE.zip is required');
    if (!values.pump === !values.station) throw new UsageError('give --pump ID or --station');
    if (values['api-url'] && !/^https?:\/\//.test(values['api-url']))
      throw new UsageError(`invalid --api-url: ${values['api-url']} (http:// or https://)`);
    const path = resolve(values.db);
    if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such database`);
    const db = await StationDb.open(path, { readOnly: true });
    const progress = progressPrinter('package');
    try {
      const result = await packageArtifact(db, {
        pump: values.pump,
        station: values.station,
        out: resolve(values.out),
        keyPath: values.key ? resolve(values.key) : undefined,
        apiUrl: values['api-url'],
        siteId: intOption(values.site, 'site', [0, 2 ** 31 - 1]),
        pumpId: intOption(values['pump-id'], 'pump-id', [0, 2 ** 31 - 1]),
        debounceMinutes: intOption(values.debounce, 'debounce', [0, 1440]),
        intervalSeconds: intOption(values.interval, 'interval', [10, 86_400]),
        acceptWeakModels: values['accept-weak-models'],
        onProgress: progress,
        output: { force: values.force, protect: [path] },
      });
      progress.end();
      if (values.json) console.log(JSON.stringify(result, null, 2));
      else
        console.log(
          `wrote ${result.path} (${(result.bytes / 1024).toFixed(0)} KB, version ${result.version}${result.models.length ? `, models ${result.models.join(', ')}` : ''})${result.notes.map((n) => `\nnote: ${n}`).join('')}`,
        );
      return 0;
    } finally {
      db.close();
    }
  },
};
