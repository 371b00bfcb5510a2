import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { describeBand, GRADE_NAMES, isGrade } from '../../../src-shared/performance/grades';
import { StationDb } from '../../db/stationDb';
import { proposeBaselines, takeProposedBaselines } from '../../performance/proposeBaseline';
import { fleetPerformance, pumpPerformance } from '../../performance/pumpPerformance';
import { type Command, checkTimeOptions, intOption, parseCommandArgs, printed, UsageError } from '../command';

const num = (v: number | null, d = 2) => (v === null ? '—' : v.toFixed(d));

/** --propose-baselines: each pump's proposal, or why none; --take saves those of pumps without one. */
async function proposals(
  dbPath: string,
  days: number | undefined,
  values: { take?: boolean; json?: boolean },
): Promise<number> {
  const path = resolve(dbPath);
  if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such database`);
  const db = await StationDb.open(path, { readOnly: !values.take });
  try {
    const all = await proposeBaselines(db, days);
    const missing = all.filter((p) => !p.hasBaseline && p.period).map((p) => p.pump);
    const taken = values.take ? await takeProposedBaselines(db, missing, days) : [];
    if (values.json) return printed(JSON.stringify({ proposals: all, taken }, null, 2));
    for (const p of all)
      console.log(
        `${p.pump.padEnd(8)} ${
          p.period && p.values
            ? `${p.period.from} .. ${p.period.to}  ${p.period.readings} readings  flow ${num(p.values.flow)}  power ${num(p.values.power)}  head ${num(p.values.head)}  spread ${num(p.period.spreadPct, 1)} %`
            : `no period: ${p.reason}`
        }${p.hasBaseline ? '  (has a baseline)' : ''}`,
      );
    if (values.take)
      console.log(
        `took ${taken.length} baseline${taken.length === 1 ? '' : 's'}: ${taken.map((b) => b.well_id).join(', ')}`,
      );
    return 0;
  } finally {
    db.close();
  }
}

export const performanceCommand: Command = {
  name: 'performance',
  usage: `Usage: pumpdeck performance --db FILE --pump ID [--grade G] [--from T] [--to T] [--window MIN] [--trend-days N] [--json]
       pumpdeck performance --db FILE --fleet [--json]
       pumpdeck performance --db FILE --propose-baselines [--days N] [--take] [--json]

Checks the pump's operational readings against its baseline (ANSI/HI 14.6): per parameter the
baseline, the current value (median over the last --window minutes, default 60), the deviation
in %, the tolerance band, whether it is inside, the first exceedance, the trend in points per
week over the last --trend-days daily values (default 14) and the day it leaves the band at that
rate. --grade (${GRADE_NAMES.join(', ')}) overrides the grade for this run. --json adds the
daily series. --fleet lists every pump with a baseline, worst status first.
--propose-baselines proposes each pump's baseline from the quietest --days (default 7) of its
history, clear of its logged maintenance, and why none serves where none does; --take takes the
proposals for the pumps that have no baseline yet.
Times are YYYY-MM-DD[ HH:MM[:SS]].`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      pump: { type: 'string' },
      grade: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      window: { type: 'string' },
      'trend-days': { type: 'string' },
      fleet: { type: 'boolean' },
      'propose-baselines': { type: 'boolean' },
      days: { type: 'string' },
      take: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.help) return printed(this.usage);
    if (!values.db) throw new UsageError('--db FILE is required');
    if (values['propose-baselines']) return proposals(values.db, intOption(values.days, 'days', [1, 90]), values);
    if (values.take) throw new UsageError('--take goes with --propose-baselines');
    if (!values.pump && !values.fleet) throw new UsageError('give --pump ID, --fleet or --propose-baselines');
    if (values.grade && !isGrade(values.grade))
      throw new UsageError(`invalid --grade: ${values.grade} (${GRADE_NAMES.join(', ')})`);
    checkTimeOptions(values, ['from', 'to']);
    const windowMinutes = intOption(values.window, 'window', [1, 7 * 24 * 60]);
    const trendDays = intOption(values['trend-days'], 'trend-days', [3, 366]);
    const path = resolve(values.db);
    if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such database`);
    const db = await StationDb.open(path, { readOnly: true });
    try {
      if (values.fleet) {
        const fleet = await fleetPerformance(db);
        if (values.json) console.log(JSON.stringify(fleet, null, 2));
        else if (fleet.length === 0)
          console.log(
            'no pump has a baseline: import one (pumpdeck ingest --baselines FILE) to check pumps against HI 14.6',
          );
        else
          for (const r of fleet)
            console.log(
              `${r.pump.padEnd(8)} ${r.grade}  ${(r.status ?? 'no data').padEnd(8)} ${r.worstParameter ? `${r.worstParameter} ${num(r.worstDeviation, 1)} %` : ''}`,
            );
        return 0;
      }
      const p = await pumpPerformance(db, {
        pump: values.pump as string, // checked above: --pump or --fleet
        grade: values.grade,
        from: values.from,
        to: values.to,
        windowMinutes,
        trendDays,
        timelinePoints: 1,
      });
      const { timeline: _timeline, ...summary } = p;
      if (values.json) {
        console.log(JSON.stringify(summary, null, 2));
        return 0;
      }
      console.log(
        `${p.pump}: ${p.status ?? 'no readings'} · grade ${p.grade} (${p.gradeSource}) · ${p.readings} readings ${p.first ?? ''} .. ${p.asOf ?? ''}`,
      );
      if (p.outOfBandSince)
        console.log(`out of band since ${p.outOfBandSince} (${(p.outOfBandHours ?? 0).toFixed(1)} h)`);
      for (const x of p.parameters) {
        const trend = x.trend ? `${x.trend.perWeek >= 0 ? '+' : ''}${x.trend.perWeek.toFixed(2)} pt/week` : 'no trend';
        const crossing = x.crossing ? (x.crossing.days === 0 ? 'outside' : `leaves ${x.crossing.date}`) : '';
        console.log(
          `  ${x.parameter.padEnd(10)} baseline ${num(x.baseline).padStart(8)}  now ${num(x.current).padStart(8)}  ${num(x.deviation).padStart(7)} %  band ${describeBand(x.band).padEnd(12)} ${x.state.padEnd(6)} first out ${x.firstExceedance ?? '—'}  ${trend} ${crossing}`,
        );
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
