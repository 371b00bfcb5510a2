import type { FixedPump, VfdPump } from '../../src-shared/optimize/problem';
import type { StationModel } from '../../src-shared/station/model';
import { ident, literal, type StationDb } from '../db/stationDb';
import { StationSql } from '../ingest/stationSql';

// How the pumps behave, measured over the weeks before the window (issue 20): each fixed-speed
// pump's kW when running and the station's flow with k of them running (the header's sharing
// loss is in it); each VFD pump's flow range and its kW against flow as convex segments.

const LEARN_DAYS = 30;
/** A count of pumps running needs this many minutes of readings to be believed; a flow bin, FEW readings. */
const ENOUGH = 30;
const FEW = 5;

export interface PumpBehaviour {
  fixed: FixedPump[];
  stationFlow: number[];
  vfd: VfdPump[];
  /** The most pumps that ran at once in the learning window. */
  maxOn: number;
  /** Pumps running in the last reading before the window. */
  runningBefore: string[];
}

export async function pumpBehaviour(db: StationDb, model: StationModel, before: string): Promise<PumpBehaviour> {
  const sql = await StationSql.of(db, model);
  const window = `"Timestamp" < ${literal(before)}::TIMESTAMP AND "Timestamp" >= ${literal(before)}::TIMESTAMP - INTERVAL ${LEARN_DAYS} DAY`;
  const isVfd = model.pumps.map((p) => p.hz !== undefined && p.flow !== undefined && sql.hasColumn(p.flow.tag));
  const runs = model.pumps.map((_, k) => sql.run(k));
  const fixedIdx = model.pumps.flatMap((_, k) => (isVfd[k] ? [] : [k]));
  const vfdIdx = model.pumps.flatMap((_, k) => (isVfd[k] ? [k] : []));
  const count = (idx: number[]) => (idx.length ? idx.map((k) => `${runs[k]}::INTEGER`).join(' + ') : '0');

  const fixed: FixedPump[] = [];
  for (const k of fixedIdx) {
    const pump = model.pumps[k];
    const row = await db.single<{ kw: number | null }>(
      `SELECT avg(${sql.kw(k)}) AS kw FROM readings_wide WHERE ${window} AND ${runs[k]}`,
    );
    fixed.push({ id: pump.id, kw: row.kw ?? pump.rated_kw ?? 0 });
  }
  // Station flow by the number of fixed pumps running, where no VFD pump runs: a count is believed
  // after ENOUGH minutes of it (real time: a 15-minute row is 15), and a count the station passes
  // through only while it starts or stops pumps one by one is read between its neighbours.
  const byCount = await db.all<{ k: number; flow: number; minutes: number }>(
    `SELECT ${count(fixedIdx)} AS k, avg(${sql.flow}) AS flow, sum(${sql.weight})::DOUBLE AS minutes FROM readings_wide
     WHERE ${window} AND ${sql.flow} IS NOT NULL AND ${count(vfdIdx)} = 0 GROUP BY ALL ORDER BY k`,
  );
  const seen = byCount.filter((r) => r.k > 0 && r.minutes >= ENOUGH);
  const most = Math.max(0, ...seen.map((r) => r.k)); // never more at once than the station was seen to run
  const stationFlow = [0];
  for (let k = 1; k <= most; k++) {
    const at = seen.find((r) => r.k === k);
    if (at) {
      stationFlow.push(at.flow);
      continue;
    }
    const above = seen.find((r) => r.k > k) as { k: number; flow: number };
    const [k0, f0] = [k - 1, stationFlow[k - 1]];
    stationFlow.push(f0 + ((above.flow - f0) * (k - k0)) / (above.k - k0));
  }

  const vfd: VfdPump[] = [];
  for (const k of vfdIdx) {
    const pump = model.pumps[k];
    const flow = `(${ident(pump.flow?.tag ?? '')})`;
    const bins = await db.all<{ q: number; kw: number; n: number; lo: number; hi: number }>(
      `WITH running AS (SELECT ${flow} AS q, ${sql.kw(k)} AS kw FROM readings_wide
         WHERE ${window} AND ${runs[k]} AND ${flow} > 0 AND ${sql.kw(k)} IS NOT NULL)
       SELECT avg(q) AS q, avg(kw) AS kw, count(*)::INTEGER AS n, min(q) AS lo, max(q) AS hi
       FROM (SELECT *, ntile(4) OVER (ORDER BY q) AS bin FROM running) GROUP BY bin ORDER BY q`,
    );
    // A storm pump may run a few hours a month: a quarter of its readings per bin, at least a handful.
    const points = bins.filter((b) => b.n >= FEW);
    if (points.length === 0) continue;
    const lines =
      points.length === 1
        ? [{ a: points[0].kw, b: 0 }]
        : points.slice(1).map((p, i) => {
            const b = (p.kw - points[i].kw) / (p.q - points[i].q || 1);
            return { a: p.kw - b * p.q, b };
          });
    vfd.push({ id: pump.id, qmin: points[0].lo, qmax: points[points.length - 1].hi, lines });
  }

  const atOnce = await db.single<{ m: number | null }>(
    `SELECT max(${count(model.pumps.map((_, k) => k))}) AS m FROM readings_wide WHERE ${window}`,
  );
  const last = await db.all<Record<string, boolean>>(
    `SELECT ${runs.map((r, k) => `${r} AS r${k}`).join(', ')} FROM readings_wide
     WHERE "Timestamp" < ${literal(before)}::TIMESTAMP ORDER BY "Timestamp" DESC LIMIT 1`,
  );
  return {
    fixed,
    stationFlow,
    vfd,
    maxOn: Math.max(1, Math.min(atOnce.m ?? 1, stationFlow.length - 1 + vfd.length)),
    runningBefore: model.pumps.filter((_, k) => last[0]?.[`r${k}`]).map((p) => p.id),
  };
}
