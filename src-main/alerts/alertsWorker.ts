import { parentPort, workerData } from 'node:worker_threads';
import { frameReadings, type MinuteFrame } from '../../src-shared/minuteFrame';
import type { StationConfig } from '../../src-shared/station';
import { AlertRunner } from './alertRunner';

// The alerts worker (out/worker/alerts.mjs): runs the alert engine over an import's minutes on
// its own core, batch by batch as the main thread sends them (while it reads the file or feeds
// DuckDB), and posts the run's result after the last one.

const { station, saved, after } = workerData as { station: StationConfig; saved: unknown | null; after: number | null };
const runner = new AlertRunner(station, saved, after);
parentPort!.on('message', (message: { type: 'minutes'; frame: MinuteFrame } | { type: 'end' }) => {
  if (message.type === 'minutes') for (const reading of frameReadings(message.frame, null)) runner.push(reading);
  else parentPort!.postMessage(runner.result());
});
