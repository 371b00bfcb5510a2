import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

// Starts a long-running `bin/pumpdeck` command (serve, sink) for the tests and benches, and
// resolves once it prints the line `ready` matches: its first group (the URL) and the process.

export const PUMPDECK_BIN = join(import.meta.dirname, '..', 'bin/pumpdeck');

export function startPumpdeck(
  args: string[],
  ready: RegExp,
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(PUMPDECK_BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pumpdeck ${args[0]} did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        // Its later lines (one per request for a sink) are not kept.
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ url: match[1], process: child });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pumpdeck ${args[0]} exited with ${code}:\n${output}`));
    });
  });
}

/** `pumpdeck sink` with these arguments (a store, tokens; --port 0 unless given). */
export function startSinkProcess(args: string[]) {
  return startPumpdeck(
    ['sink', ...(args.includes('--port') ? [] : ['--port', '0']), ...args],
    /anomaly API on (http:\S+)\/edge\/anomalies/,
  );
}
