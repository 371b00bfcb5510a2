import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../src-shared/api/errors';
import { StationDb } from '../../db/stationDb';
import { alarmKpis, listAlerts } from '../../queries/alerts';
import { type Command, checkTimeOptions, parseCommandArgs, printed, UsageError } from '../command';

export const alertsCommand: Command = {
  name: 'alerts',
  usage: `Usage: pumpdeck alerts --db FILE [--from T] [--to T] [--json]
       pumpdeck alerts --db FILE --kpis [--from T] [--to T] --json

Lists alert episodes (rule, severity, pump, timestamp, resolved_at, duration_min, message,
value_at_trigger), newest first; --kpis prints alerts per 10 minutes and per day, flood periods,
top-10 share, chattering, stale alerts and the priority mix (EEMUA 191 / ISA-18.2).
Times are YYYY-MM-DD[ HH:MM[:SS]].`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      kpis: { type: 'boolean' },
    });
    if (values.help) return printed(this.usage);
    if (!values.db) throw new UsageError('--db FILE is required');
    checkTimeOptions(values, ['from', 'to']);
    const path = resolve(values.db);
    if (!existsSync(path)) throw new ApiError('bad_input', `${path}: no such database`);
    const db = await StationDb.open(path, { readOnly: true });
    try {
      const filter = {
        from: values.from,
        to: values.to && values.to.length === 10 ? `${values.to} 23:59:59` : values.to,
      };
      if (values.kpis) {
        const kpis = await alarmKpis(db, filter);
        if (values.json) console.log(JSON.stringify(kpis, null, 2));
        else
          console.log(
            `${kpis.alerts} alerts, ${kpis.perDay.toFixed(1)}/day, ${kpis.perTenMinutes.toFixed(3)}/10 min, flood ${kpis.floodPercent.toFixed(2)} %, chattering ${kpis.chattering}, stale ${kpis.stale}`,
          );
        return 0;
      }
      const rows = await listAlerts(db, filter);
      if (values.json)
        console.log(
          JSON.stringify(
            rows.map(
              ({
                id: _id,
                resolved: _r,
                acknowledged_by: _a,
                acknowledged_at: _b,
                shelved_until: _s,
                notes: _n,
                out_of_service: _o,
                ...row
              }) => row,
            ),
          ),
        );
      else if (rows.length === 0) console.log('(no alerts)');
      else
        for (const a of rows)
          console.log(
            `${a.timestamp}  ${a.rule.padEnd(5)} ${a.severity.padEnd(8)} ${(a.pump ?? '').padEnd(3)} ${a.message}${a.resolved_at ? `  (cleared ${a.resolved_at}, ${a.duration_min} min)` : '  (active)'}`,
          );
      return 0;
    } finally {
      db.close();
    }
  },
};
