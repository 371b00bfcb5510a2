import { parentPort, workerData } from 'node:worker_threads';
import type { StationConfig } from '../../src-shared/station';
import { frameReadings, type MinuteFrame } from '../ingest/minuteFrame';
import { AlertRunner } from './alertRunner';

// The alerts worker (out/worker/alerts.mjs): runs the alert engine over an import's minutes on
// its own core while the main thread feeds DuckDB the rows to write.

const { station, saved, after, frame } = workerData as { station: StationConfig; saved: unknown | null; after: number | null; frame: MinuteFrame };
const runner = new AlertRunner(station, saved, after);
for (const reading of frameReadings(frame, after)) runner.push(reading);
parentPort!.postMessage(runner.result());
