// npm run bench:alerts: evaluates all 47 rules over a year of minute data (the demo station, with
// a few faults so alerts actually fire) and measures the live cost of one minute.

import { demoStationConfig } from '../../src-main/demo/createDemo';
import { demoReadings } from '../../src-main/demo/demoReadings';
import { parseFault } from '../../src-main/demo/faults';
import { AlertEngine, evaluateAlerts } from '../../src-shared/alerts/engine';

const days = Number(process.argv[process.argv.indexOf('--days') + 1]) || 365;
const faults = ['trip@40:03:10+12:P3', 'outage@100:14:00+20', 'gap@200:10:00+45', 'cycle@300:01:00+60:P6'].map(
  parseFault,
);
console.log(`simulating ${days} days ...`);
const readings = demoReadings({ days, seed: 2, start: '2025-03-01' }, faults);
const station = demoStationConfig();

const runs: number[] = [];
let alerts = 0;
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  alerts = evaluateAlerts(readings, station).length;
  runs.push((performance.now() - started) / 1000);
}
const best = Math.min(...runs);
console.log(
  `\nalert engine, ${readings.length.toLocaleString('en-US')} minutes, 47 rules: ${best.toFixed(2)} s best of 3 (${runs.map((r) => r.toFixed(2)).join(', ')}), ${alerts} alerts`,
);
console.log(`  ${((best / readings.length) * 1e6).toFixed(1)} µs per minute in batch`);

// Live: an engine warmed on 30 days, then one minute at a time.
const engine = new AlertEngine(station);
readings.slice(0, 30 * 1440).forEach((r) => {
  engine.push(r);
});
const times: number[] = [];
for (const r of readings.slice(30 * 1440, 37 * 1440)) {
  const t = process.hrtime.bigint();
  engine.push(r);
  times.push(Number(process.hrtime.bigint() - t) / 1000);
}
times.sort((a, b) => a - b);
console.log(
  `  live, one minute at a time over a week: median ${times[times.length >> 1].toFixed(1)} µs, p99 ${times[Math.floor(times.length * 0.99)].toFixed(1)} µs`,
);
console.log(
  `  engine snapshot (persisted by the edge between runs): ${JSON.stringify(engine.snapshot()).length.toLocaleString('en-US')} bytes`,
);
