// `npm test`: builds, runs the unit tests (vitest) and the e2e tests (Playwright in Debian's
// Chromium), and ends with one line `N passed, N failed` over both.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', env: process.env }).status ?? 1;

function counts(file, read) {
  if (!existsSync(file)) return null;
  try {
    return read(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

rmSync('.vitest-results.json', { force: true });
rmSync('.playwright-results.json', { force: true });

let passed = 0;
let failed = 0;
if (run('npm', ['run', 'build', '--silent']) !== 0) {
  console.log('build failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// Both TypeScript programs (Node side and renderer) type-check: one check, counted as one test.
const typecheck = run('npm', ['run', 'typecheck', '--silent']) === 0;
if (typecheck) passed += 1;
else failed += 1;

// Formatting and lint (Biome, docs/decisions.md): one check, counted as one test.
const lint = run('npm', ['run', 'lint', '--silent']) === 0;
if (lint) passed += 1;
else failed += 1;

// The unit and e2e suites run side by side: the unit tests keep both cores busy with compute, the
// e2e tests mostly wait on the browser and the server, and in turn the whole run fits CI's time.
// The e2e output is held and printed after the unit tests' (two interleaved logs read as one).
const e2eRun = new Promise((resolve) => {
  const child = spawn('npx', ['playwright', 'test'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks = [];
  child.stdout.on('data', (d) => chunks.push(d));
  child.stderr.on('data', (d) => chunks.push(d));
  child.on('close', (code) => resolve({ status: code ?? 1, output: Buffer.concat(chunks).toString('utf8') }));
});
const unitRun = new Promise((resolve) => {
  const child = spawn(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=.vitest-results.json'],
    { env: process.env, stdio: 'inherit' },
  );
  child.on('close', (code) => resolve(code ?? 1));
});

const unitStatus = await unitRun;
const unit = counts('.vitest-results.json', (r) => ({
  passed: r.numPassedTests,
  failed: r.numFailedTests + (r.numRuntimeErrorTests ?? 0),
}));
passed += unit?.passed ?? 0;
failed += unit ? unit.failed : 1;
if (unitStatus !== 0 && unit && unit.failed === 0) failed += 1; // a suite that crashed outside any test

const { status: e2eStatus, output: e2eOutput } = await e2eRun;
process.stdout.write(e2eOutput);
const e2e = counts('.playwright-results.json', (r) => ({
  passed: r.stats.expected + r.stats.flaky,
  failed: r.stats.unexpected,
}));
passed += e2e?.passed ?? 0;
failed += e2e ? e2e.failed : 1;
if (e2eStatus !== 0 && e2e && e2e.failed === 0) failed += 1; // global setup or config failed

console.log(
  `typecheck: ${typecheck ? 'ok' : 'FAILED'}; lint: ${lint ? 'ok' : 'FAILED'}; unit: ${unit ? `${unit.passed} passed, ${unit.failed} failed` : 'no results'}; e2e: ${e2e ? `${e2e.passed} passed, ${e2e.failed} failed` : 'no results'}`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
