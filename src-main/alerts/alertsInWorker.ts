import { Worker } from 'node:worker_threads';
import { type MinuteFrame, rawMinutes } from '../../src-shared/minuteFrame';
import { lowerBound } from '../../src-shared/sorted';
import { modelTags, type StationModel } from '../../src-shared/station/model';
import { frameReadings } from '../../src-shared/station/signals';
import { builtFile } from '../builtFile';
import { AlertRunner, type AlertRunResult, feedRunner } from './alertRunner';

/** The raw tags the alert engine reads: every tag the station model maps. */
export const engineTags = (station: StationModel) => modelTags(station);

/** Where an engine run starts: the station, and the state and last minute it resumes from. */
export interface AlertRunStart {
  station: StationModel;
  saved: unknown | null;
  after: number | null;
}

/** The frame's minutes after `after` (up to `through`), only the tags the engine reads (a copy, to move to the worker). */
export function engineInput(
  frame: MinuteFrame,
  station: StationModel,
  after: number | null,
  through = Number.POSITIVE_INFINITY,
): MinuteFrame {
  const from = after === null ? 0 : lowerBound(frame.times, after + 1);
  const end = lowerBound(frame.times, through + 1);
  const cols = rawMinutes(frame);
  const present = engineTags(station).flatMap((tag) => {
    const column = cols.column(tag);
    return column ? [{ tag, column }] : [];
  });
  return {
    times: frame.times.slice(from, end),
    markerB: new Uint8Array(0),
    tags: present.map((p) => p.tag),
    values: present.map((p) => p.column.slice(from, end)),
  };
}

/**
 * An engine run in a worker thread, fed batches of minutes in time order (on the main thread,
 * sliced, when the worker is not built: running from source).
 */
export class AlertsOffThread {
  private readonly worker: Worker | null;
  private readonly runner: AlertRunner | null = null;
  /** Fallback only: the batches fed so far, one after the other. */
  private feeding: Promise<void> = Promise.resolve();
  /** The last minute sent (null: none yet). */
  lastSent: number | null;
  /** A batch did not start after the last minute sent (or the run's start): the run is not valid. */
  outOfOrder = false;
  /** An error the worker raised before the result was asked for. */
  private failure: Error | null = null;

  constructor(readonly start: AlertRunStart) {
    this.lastSent = start.after;
    let workerFile: string | null = null;
    try {
      workerFile = builtFile('worker/alerts.mjs', 'the alerts worker');
    } catch {
      this.runner = new AlertRunner(start.station, start.saved, start.after);
    }
    this.worker = workerFile ? new Worker(workerFile, { workerData: start }) : null;
    this.worker?.on('error', (error) => (this.failure ??= error));
  }

  /** The fallback runner (there is one whenever there is no worker). */
  private inProcess(): AlertRunner {
    if (!this.runner) throw new Error('the alerts run has a worker: no runner in this thread');
    return this.runner;
  }

  /** Sends minutes (engine tags, after the last ones sent); their buffers move to the worker. */
  send(batch: MinuteFrame): void {
    if (batch.times.length === 0) return;
    if (this.lastSent !== null && batch.times[0] <= this.lastSent) this.outOfOrder = true;
    this.lastSent = batch.times[batch.times.length - 1];
    if (this.worker)
      this.worker.postMessage({ type: 'minutes', frame: batch }, [
        batch.times.buffer,
        ...batch.values.map((v) => v.buffer),
      ] as ArrayBuffer[]);
    else {
      const runner = this.inProcess();
      this.feeding = this.feeding.then(() => feedRunner(runner, frameReadings(batch, this.start.station, null)));
    }
  }

  /** Sends the frame's minutes after the last ones sent, then waits for the run's result. */
  async finish(frame: MinuteFrame): Promise<AlertRunResult> {
    this.send(engineInput(frame, this.start.station, this.lastSent));
    if (!this.worker) {
      await this.feeding;
      return this.inProcess().result();
    }
    const worker = this.worker;
    if (this.failure) throw this.failure;
    return new Promise((resolve, reject) => {
      worker.once('message', (result: AlertRunResult) => {
        resolve(result);
        void worker.terminate();
      });
      worker.once('error', reject);
      worker.once('exit', () => reject(this.failure ?? new Error('the alerts worker stopped before its result')));
      worker.postMessage({ type: 'end' });
    });
  }

  abort(): void {
    void this.worker?.terminate();
  }
}

/** Runs the alert engine over the frame's minutes after the run's last one, off the main thread. */
export function runAlertsOffThread(run: AlertRunStart, frame: MinuteFrame): Promise<AlertRunResult> {
  return new AlertsOffThread(run).finish(frame);
}
