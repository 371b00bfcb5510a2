import { ApiError } from '../../src-shared/api/errors';
import { VERSION } from '../version';
import { type Command, printed, UsageError } from './command';

// The CLI's entry. Each command's code (and the libraries it needs: DuckDB, the PDF writer, the
// charts) loads only when that command runs: `pumpdeck --help` reads this table alone.

interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

const COMMANDS: CommandEntry[] = [
  {
    name: 'alerts',
    summary: 'list alerts from alerts_log, or the alarm-system KPIs',
    load: () => import('./commands/alerts').then((m) => m.alertsCommand),
  },
  {
    name: 'anomalies',
    summary: 'query a central anomaly API by site, pump, sensor and time: summary statistics and CSV',
    load: () => import('./commands/anomalies').then((m) => m.anomaliesCommand),
  },
  {
    name: 'ask',
    summary: 'answer a question about the station in plain language, offline, with the SQL behind it',
    load: () => import('./commands/ask').then((m) => m.askCommand),
  },
  {
    name: 'demo',
    summary: 'write a demo station (6-pump booster or 8-pump lift) as the files its plant would export',
    load: () => import('./commands/demo').then((m) => m.demoCommand),
  },
  {
    name: 'detect',
    summary: 'anomaly detection on wide sensor CSVs: fit on the first N rows, score every row',
    load: () => import('./commands/detect').then((m) => m.detectCommand),
  },
  {
    name: 'forecast',
    summary: 'forecast the flow the pumps must meet, hour by hour, by the model that wins the backtest',
    load: () => import('./commands/forecastOptimize').then((m) => m.forecastCommand),
  },
  {
    name: 'ingest',
    summary: 'import historian exports, wide CSVs, pump baselines or the maintenance log into a station database',
    load: () => import('./commands/ingest').then((m) => m.ingestCommand),
  },
  {
    name: 'keygen',
    summary: 'make the ed25519 key pair that signs edge artifacts',
    load: () => import('./commands/edge').then((m) => m.keygenCommand),
  },
  {
    name: 'models',
    summary: 'list the model registry; promote a candidate (when it beats production) or roll back',
    load: () => import('./commands/train').then((m) => m.modelsCommand),
  },
  {
    name: 'optimize',
    summary: 'the cheapest pump schedule for the next hours (HiGHS MILP), with savings against what the station did',
    load: () => import('./commands/forecastOptimize').then((m) => m.optimizeCommand),
  },
  {
    name: 'package',
    summary: 'build a signed edge artifact (zip) for one pump or the station',
    load: () => import('./commands/edge').then((m) => m.packageCommand),
  },
  {
    name: 'performance',
    summary: 'a pump against its baseline: HI 14.6 grade, deviations, status, trend and projected crossing',
    load: () => import('./commands/performance').then((m) => m.performanceCommand),
  },
  {
    name: 'query',
    summary: 'run one read-only SELECT on a station database and print the rows',
    load: () => import('./commands/query').then((m) => m.queryCommand),
  },
  {
    name: 'report',
    summary: 'write a station and pump report as PDF or Markdown (charts as PNG beside it)',
    load: () => import('./commands/report').then((m) => m.reportCommand),
  },
  {
    name: 'serve',
    summary: 'browser mode: serve the console on 127.0.0.1 with a per-run token',
    load: () => import('./commands/serve').then((m) => m.serveCommand),
  },
  {
    name: 'sink',
    summary: 'serve the reference anomaly API (POST/GET /edge/anomalies) on a DuckDB file',
    load: () => import('./commands/sink').then((m) => m.sinkCommand),
  },
  {
    name: 'station',
    summary: "print, suggest or replace a project's station model (its tags, pumps and kind)",
    load: () => import('./commands/station').then((m) => m.stationCommand),
  },
  {
    name: 'train',
    summary: 'train a remaining-useful-life or failure-risk model for a pump into the model registry',
    load: () => import('./commands/train').then((m) => m.trainCommand),
  },
];

function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `PumpDeck ${VERSION}: operator console for pump stations`,
    '',
    'Usage: pumpdeck <command> [options]     pumpdeck <command> --help',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 ok, 1 failed, 2 usage error.',
  ].join('\n');
}

/** Runs the CLI; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainUsage());
    return name ? 0 : 2;
  }
  if (name === '--version') return printed(VERSION);
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    console.error(`pumpdeck: unknown command: ${name}\n\n${mainUsage()}`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`pumpdeck ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    if (error instanceof ApiError && error.code !== 'internal') {
      console.error(`pumpdeck ${name}: ${error.message}`);
      return 1;
    }
    console.error(`pumpdeck ${name}: failed:`, error);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
