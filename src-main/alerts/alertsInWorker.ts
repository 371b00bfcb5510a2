import { Worker } from 'node:worker_threads';
import { lowerBound } from '../../src-shared/sorted';
import { PUMPS, TAG } from '../../src-shared/tags';
import { builtFile } from '../builtFile';
import { frameReadings, rawMinutes, type MinuteFrame } from '../ingest/minuteFrame';
import { AlertRunner, feedRunner, type AlertRunResult } from './alertRunner';
import type { AlertRun } from './alertsLog';

/** The raw tags the alert engine reads. */
export const ENGINE_TAGS = [TAG.flow, TAG.dayTotal, TAG.level, ...PUMPS.map(TAG.onOff), ...PUMPS.map(TAG.kw)];

/** The frame's minutes after `after`, only the tags the engine reads (a copy for the worker). */
function engineInput(frame: MinuteFrame, after: number | null): MinuteFrame {
  const from = after === null ? 0 : lowerBound(frame.times, after + 1);
  const cols = rawMinutes(frame);
  const tags = ENGINE_TAGS.filter((tag) => cols.column(tag));
  return { times: frame.times.slice(from), markerB: new Uint8Array(0), tags, values: tags.map((tag) => cols.column(tag)!.slice(from)) };
}

/**
 * Runs the alert engine over the frame's minutes after the run's last one in a worker thread (on
 * the main thread, sliced, when the worker is not built: running from source).
 */
export async function runAlertsOffThread(run: AlertRun, frame: MinuteFrame): Promise<AlertRunResult> {
  const input = engineInput(frame, run.after);
  let workerFile: string | null = null;
  try {
    workerFile = builtFile('worker/alerts.mjs', 'the alerts worker');
  } catch {
    const runner = new AlertRunner(run.station, run.saved, run.after);
    await feedRunner(runner, frameReadings(input, null));
    return runner.result();
  }
  return new Promise((resolve, reject) => {
    // The input is a copy made for the worker: its buffers move there rather than being cloned.
    const worker = new Worker(workerFile, {
      workerData: { station: run.station, saved: run.saved, after: run.after, frame: input },
      transferList: [input.times.buffer, ...input.values.map((v) => v.buffer)] as ArrayBuffer[],
    });
    worker.once('message', (result: AlertRunResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
