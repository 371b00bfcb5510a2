import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Progress } from '../../src-shared/api/contract';

/** Wrong flags or arguments: exit code 2 and the command's usage. */
export class UsageError extends Error {}

export interface Command {
  name: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with --help on every command and usage errors instead of exceptions. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const TIME = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/;

/** Time options are YYYY-MM-DD[ HH:MM[:SS]]; anything else is a usage error naming the option. */
export function checkTimeOptions(values: Record<string, unknown>, names: string[]): void {
  for (const name of names) {
    const value = values[name];
    if (typeof value === 'string' && !TIME.test(value))
      throw new UsageError(`invalid --${name}: ${value} (YYYY-MM-DD[ HH:MM[:SS]])`);
  }
}

export function intOption(value: string | undefined, name: string, range: [number, number]): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < range[0] || n > range[1])
    throw new UsageError(`invalid --${name}: ${value} (a whole number from ${range[0]} to ${range[1]})`);
  return n;
}

/** Progress on stderr: one rewritten line on a terminal, a line per 10 % otherwise. */
export function progressPrinter(label: string): ((progress: Progress) => void) & { end(): void } {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  const print = (progress: Progress) => {
    const pct = progress.fraction === null ? '' : ` ${(progress.fraction * 100).toFixed(0)}%`;
    const count =
      progress.done !== undefined && progress.total !== undefined
        ? ` (${progress.done}/${progress.total} ${progress.unit ?? ''})`
        : '';
    const eta = progress.etaSeconds ? ` eta ${progress.etaSeconds.toFixed(0)} s` : '';
    const line = `${label}: ${progress.phase}${pct}${count}${eta}`;
    if (tty) process.stderr.write(`\r\x1b[K${line}`);
    else {
      const decile = progress.fraction === null ? lastDecile : Math.floor(progress.fraction * 10);
      if (decile !== lastDecile || progress.fraction === null) process.stderr.write(`${line}\n`);
      lastDecile = decile;
    }
  };
  return Object.assign(print, { end: () => tty && process.stderr.write('\n') });
}

/** Prints a usage or version text; the command's exit code (0). */
export function printed(text: string): number {
  console.log(text);
  return 0;
}
