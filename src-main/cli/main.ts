import { ApiError } from '../../src-shared/api/errors';
import { VERSION } from '../version';
import { type Command, printed, UsageError } from './command';
import { alertsCommand } from './commands/alerts';
import { demoCommand } from './commands/demo';
import { detectCommand } from './commands/detect';
import { keygenCommand, packageCommand, sinkCommand } from './commands/edge';
import { ingestCommand } from './commands/ingest';
import { performanceCommand } from './commands/performance';
import { queryCommand } from './commands/query';
import { reportCommand } from './commands/report';
import { serveCommand } from './commands/serve';
import { stationCommand } from './commands/station';
import { modelsCommand, trainCommand } from './commands/train';

const COMMANDS: Command[] = [
  alertsCommand,
  demoCommand,
  detectCommand,
  ingestCommand,
  keygenCommand,
  modelsCommand,
  packageCommand,
  performanceCommand,
  queryCommand,
  reportCommand,
  serveCommand,
  sinkCommand,
  stationCommand,
  trainCommand,
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
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`pumpdeck: unknown command: ${name}\n\n${mainUsage()}`);
    return 2;
  }
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
