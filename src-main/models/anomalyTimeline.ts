import type { AnomalyTimeline } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { minimumHealthyRows, scoreRows } from '../../src-shared/models/anomaly';
import { anomalyEvents } from '../../src-shared/models/anomalyEvents';
import { baselineValues } from '../../src-shared/performance/baselineRecord';
import { withEfficiency } from '../../src-shared/performance/deviation';
import { PARAMETERS } from '../../src-shared/performance/grades';
import { formatTimestamp } from '../../src-shared/time';
import type { StationDb } from '../db/stationDb';
import { endOfDay, requireBaseline } from '../performance/pumpPerformance';
import { maintenanceEvents } from './maintenanceLog';
import { loadBundle } from './registry';
import { fitPumpDetector, hourlyReadings } from './train';

/**
 * A pump's anomaly score over time with the detected spans: the production model's detector, or
 * one fitted now on the pump's healthy period when no model is in production.
 */
export async function anomalyTimeline(
  db: StationDb,
  pump: string,
  from?: string,
  to?: string,
): Promise<AnomalyTimeline> {
  const record = await requireBaseline(db, pump);
  const bundle = (await loadBundle(db, pump, 'rul')) ?? (await loadBundle(db, pump, 'risk'));
  const readings = withEfficiency(await hourlyReadings(db, pump), baselineValues(record));
  const detector = bundle?.detector ?? fitPumpDetector(readings, record.source, await maintenanceEvents(db, pump));
  if (!detector)
    throw new ApiError(
      'bad_input',
      `pump ${pump} has too few hourly readings in a healthy period (its baseline's, else every one clear of its maintenance log) to fit an anomaly detector: it needs ${minimumHealthyRows()}`,
    );
  // A reading missing some parameters is scored from the others; one with none is left out.
  const rows = readings.map((r) => PARAMETERS.map((p) => r[p]));
  const scored = scoreRows(detector, rows);
  const times = readings.map((r) => formatTimestamp(r.t));
  const end = endOfDay(to);
  const inRange = (a: string, b: string) => (!from || b >= from) && (!end || a <= end);
  const points = readings
    .flatMap((_, i) => {
      const score = scored[i].score;
      return score === null ? [] : [{ t: times[i], score, anomaly: scored[i].anomaly }];
    })
    .filter((p) => inRange(p.t, p.t));
  // The flags merged into events with the signals that drove each (the ones overlapping the range).
  const spans = anomalyEvents(detector, rows, scored, times)
    .filter((e) => inRange(e.from, e.to))
    .map((e) => ({ from: e.from, to: e.to, peak: e.peak, drivers: e.drivers }));
  return {
    pump,
    source: bundle?.detector ? `${bundle.kind} model v${bundle.version}` : 'fitted now on the healthy period',
    signals: detector.used.map((c) => detector.columns[c]),
    threshold: detector.threshold,
    points,
    spans,
  };
}
