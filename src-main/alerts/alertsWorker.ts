import { parentPort, workerData } from 'node:worker_threads';
import type { MinuteFrame } from '../../src-shared/minuteFrame';
import type { StationModel } from '../../src-shared/station/model';
import { frameReadings } from '../../src-shared/station/signals';
import { AlertRunner } from './alertRunner';

// The alerts worker (out/worker/alerts.mjs): runs the alert engine over an import's minutes on
// its own core, batch by batch as the main thread sends them (while it reads the file or feeds
// DuckDB), and posts the run's result after the last one.

const { station, saved, after } = workerData as { station: StationModel; saved: unknown | null; after: number | null };
const runner = new AlertRunner(station, saved, after);
const port = parentPort;
if (!port) throw new Error('alerts.mjs runs as a worker thread');
port.on('message', (message: { type: 'minutes'; frame: MinuteFrame } | { type: 'end' }) => {
  if (message.type === 'minutes')
    for (const reading of frameReadings(message.frame, station, null)) runner.push(reading);
  else port.postMessage(runner.result());
});
