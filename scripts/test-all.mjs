// `npm test`: builds, runs the unit tests (vitest) and the e2e tests (Playwright in Debian's
// Chromium), and ends with one line `N passed, N failed` over both.
import { spawnSync } from 'node:child_process';
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

const unitStatus = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile=.vitest-results.json',
]);
const unit = counts('.vitest-results.json', (r) => ({
  passed: r.numPassedTests,
  failed: r.numFailedTests + (r.numRuntimeErrorTests ?? 0),
}));
passed += unit?.passed ?? 0;
failed += unit ? unit.failed : 1;
if (unitStatus !== 0 && unit && unit.failed === 0) failed += 1; // a suite that crashed outside any test

const e2eStatus = run('npx', ['playwright', 'test']);
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
