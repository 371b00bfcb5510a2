import { type ChildProcess, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startPumpdeck } from '../scripts/startPumpdeck';

export const REPO = join(import.meta.dirname, '..');
const BIN = join(REPO, 'bin/pumpdeck');

/** Runs a CLI command to completion; throws with its stderr when it fails. */
export function pumpdeck(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`pumpdeck ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/** Starts `pumpdeck serve` and resolves with the URL (token included) it prints. */
export function startServe(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; process: ChildProcess }> {
  return startPumpdeck(['serve', '--port', '0', ...args], /Open (http:\/\/\S+)/, env);
}
