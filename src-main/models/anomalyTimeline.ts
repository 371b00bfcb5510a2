import type { AnomalyTimeline } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { scoreRows } from '../../src-shared/models/anomaly';
import { baselineValues } from '../../src-shared/performance/baselineRecord';
import { withEfficiency } from '../../src-shared/performance/deviation';
import { PARAMETERS } from '../../src-shared/performance/grades';
import { formatTimestamp } from '../../src-shared/time';
import type { StationDb } from '../db/stationDb';
import { requireBaseline } from '../performance/pumpPerformance';
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
    throw new ApiError('bad_input', `pump ${pump} has too few complete hourly readings to fit an anomaly detector`);
  // A reading missing some parameters is scored from the others; one with none is left out.
  const scored = scoreRows(
    detector,
    readings.map((r) => PARAMETERS.map((p) => r[p])),
  );
  const points = readings
    .flatMap((r, i) => {
      const score = scored[i].score;
      return score === null ? [] : [{ t: formatTimestamp(r.t), score, anomaly: scored[i].anomaly }];
    })
    .filter((p) => (!from || p.t >= from) && (!to || p.t <= (to.length === 10 ? `${to} 23:59:59` : to)));
  const spans: AnomalyTimeline['spans'] = [];
  for (const p of points) {
    const open = spans[spans.length - 1];
    if (p.anomaly && open && open.to === 'open') continue;
    if (p.anomaly) spans.push({ from: p.t, to: 'open' });
    else if (open?.to === 'open') open.to = p.t;
  }
  if (spans.length && spans[spans.length - 1].to === 'open') spans[spans.length - 1].to = points[points.length - 1].t;
  return {
    pump,
    source: bundle?.detector ? `${bundle.kind} model v${bundle.version}` : 'fitted now on the healthy period',
    signals: detector.used.map((c) => detector.columns[c]),
    threshold: detector.threshold,
    points,
    spans,
  };
}
