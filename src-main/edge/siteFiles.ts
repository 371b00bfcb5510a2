import { DEFAULT_SET_ASIDE, type DeploymentConfig } from '../../src-shared/edge/deployment';

// The files an artifact brings for the site: systemd units, a cron line, and its README.

const INSTALL = '/opt/pumpdeck-edge';

export function systemdService(): string {
  return `[Unit]
Description=PumpDeck edge runner (one run)
After=network-online.target

[Service]
Type=oneshot
WorkingDirectory=${INSTALL}
# The API token stays outside the artifact: a token file or this environment file.
EnvironmentFile=-/etc/pumpdeck/edge.env
# A small young generation and V8's lite mode keep a one-shot run small on a Pi (docs/edge.md).
ExecStart=/usr/bin/node --max-semi-space-size=1 --lite-mode ${INSTALL}/runner.mjs --config ${INSTALL}/config/deployment_config.json --once
User=pumpdeck
Nice=10
`;
}

export function systemdTimer(intervalSeconds: number): string {
  return `[Unit]
Description=Run the PumpDeck edge runner every ${intervalSeconds} s

[Timer]
OnBootSec=2min
OnUnitActiveSec=${intervalSeconds}s
Persistent=true

[Install]
WantedBy=timers.target
`;
}

export function cronLine(): string {
  return `# Hourly, as seed 000 ran it (crontab -e for the pumpdeck user):
0 * * * * cd ${INSTALL} && ANOMALY_API_TOKEN="$(cat /etc/pumpdeck/token)" node --max-semi-space-size=1 --lite-mode runner.mjs --config config/deployment_config.json --once >> data/runner.log 2>&1
`;
}

export function siteReadme(info: {
  name: string;
  version: string;
  deployment: DeploymentConfig;
  models: string[];
  notes: string[];
}): string {
  const d = info.deployment;
  return `# PumpDeck edge artifact: ${info.name}, version ${info.version}

Runs on a Raspberry Pi (or any Linux) with Node.js 18 or newer; nothing else to install.

## Install

    sudo mkdir -p ${INSTALL} && sudo unzip artifact.zip -d ${INSTALL}
    sudo useradd --system pumpdeck; sudo chown -R pumpdeck ${INSTALL}
    echo "ANOMALY_API_TOKEN=..." | sudo tee /etc/pumpdeck/edge.env   # or put the token in ${INSTALL}/${d.api.tokenFile}
    sudo cp systemd/* /etc/systemd/system/ && sudo systemctl enable --now pumpdeck-runner.timer

Or use the cron line in cron.txt. Put the site's CSV exports in \`${d.schedule.input}/\` (or pass
\`--input FILE_OR_DIR\`). Run by hand: \`node --max-semi-space-size=1 --lite-mode runner.mjs --config config/deployment_config.json --once\`
(the two flags keep a run near 55 MB; it works without them, with more memory).

## What it does

- Checks the artifact first: the ed25519 signature of manifest.json and the sha256 of every file.
  A changed file is refused (exit code 3). Pin the signing key with
  \`PUMPDECK_TRUSTED_KEY=/etc/pumpdeck/signing_key.pub\` so that only your key is accepted.
- ${d.kind === 'pump' ? `Reads wide CSVs (the column mapping is in config/column_mapping.json), checks the pump against its baseline (ANSI/HI 14.6), ${info.models.length ? `predicts with ${info.models.join(' and ')} once it has ${d.reporting.minRowsForModel} hourly rows, and scores the anomaly detector` : 'and (no model yet) runs the HI checks only'}.` : "Reads the historian's exports (narrow or wide CSVs, RSView32 / FactoryTalk dBase logs with their tag table) and runs the alert rules that apply to the station model in config/station.json."}
- Reports a new anomaly, an escalation at once, the same one again only after ${d.reporting.debounceMinutes} minutes, and resets
  when it is back to Normal; this state is kept in \`${d.storage.dataDir}/state.json\`, so it holds between cron runs.
- Every report goes to \`${d.storage.dataDir}/unsent_anomalies/\` first and leaves it only when ${d.api.url} has it; retries
  back off (${d.api.retries} retries, ${d.api.backoffSeconds} s doubling, with jitter, Retry-After honoured) and carry an
  idempotency key, so nothing is lost or sent twice. A report the API calls invalid (HTTP 400, 409, 413, 422)
  moves to \`${d.storage.dataDir}/rejected/\` with the reason. One the API fails on alone (HTTP 500: it answers, with
  an error; not 502-504, busy or down) waits for its own next attempt (from ${d.storage.retryBaseMinutes ?? DEFAULT_SET_ASIDE.baseMinutes} minutes, doubling, with jitter)
  while newer reports go, and is set aside after ${d.storage.setAsideAfterAttempts ?? DEFAULT_SET_ASIDE.attempts} attempts. A rejected token (401, 403) or a wrong URL (404)
  fails no report: they all wait, and health.json says why. The spool keeps ${d.storage.spoolMaxAgeDays} days and ${d.storage.spoolMaxMb} MB at
  most. health.json stays not ok, naming them, while reports are set aside or were dropped by retention:
  \`--resend-rejected\` puts the set-aside reports back in the spool, \`--clear-set-aside\` clears both for good.
- Files are written durably (fsync, rename); a spool or state file a power cut left unreadable moves to
  \`${d.storage.dataDir}/corrupt/\` with a warning in health.json, and the runner goes on with the rest.
- Writes \`${d.storage.dataDir}/results/*.json\` per run, \`${d.storage.dataDir}/health.json\`, and JSON log lines on stdout.
  Exit codes: 0 ok, 1 failed, 2 usage, 3 artifact refused.
${info.notes.map((n) => `\nNote: ${n}.`).join('')}
`;
}
