import { describe, expect, it } from 'vitest';
import { type AlertRecord, evaluateAlerts } from '../../src-shared/alerts/engine';
import type { MinuteReading } from '../../src-shared/alerts/minute';
import { formatTimestamp } from '../../src-shared/time';
import { LIFT_WELL, liftStationModel, simulateLift } from '../demo/liftSim';

// The level rules on a lift station (issue 15): the pumps empty a wet well, so the failing end is
// the top (overflow), "worsening" is rising, and an empty well matters only while a pump runs.
// Readings are the lift demo's, every 15 minutes as its SCADA logs them, with the level rewritten
// where a case needs it.

const station = liftStationModel();
const ROW = 15;

/** The lift demo as engine input, one row per 15 minutes (snapshots; inflow summed over the quarter). */
function liftReadings(days: number): MinuteReading[] {
  const rows: MinuteReading[] = [];
  let inflow = 0;
  let minute = 0;
  for (const m of simulateLift({ days, seed: 7, start: '2025-04-01' })) {
    inflow += m.inflowM3;
    if (++minute % ROW !== 0) continue;
    const flows = m.flow;
    rows.push({
      time: m.time - (ROW - 1) * 60_000,
      level: m.level,
      flow: flows.reduce((a, b) => a + b, 0),
      dayTotal: null,
      inflow: inflow * (60 / ROW), // m³ per quarter hour → m³/h, the engine's unit
      on: m.hz.map((hz) => hz > 20),
      kw: m.kw,
      pumpFlow: flows,
    });
    inflow = 0;
  }
  return rows;
}

const healthy = liftReadings(6);
/** The rules of the level's two ends and its rate (D-05, pumps not keeping up in a storm, is another matter). */
const levelRules = (alerts: AlertRecord[]) => alerts.filter((a) => ['D-01', 'D-02', 'D-03', 'D-04'].includes(a.rule));
const show = (a: AlertRecord) => ({ rule: a.rule, at: formatTimestamp(a.timestamp), message: a.message });

/** The readings with the level (m) of rows from `start` set by `level(i)` (i: the row in the case). */
function withLevel(start: number, rows: number, level: (i: number) => number, change: Partial<MinuteReading> = {}) {
  return healthy.map((r, j) => (j >= start && j < start + rows ? { ...r, ...change, level: level(j - start) } : r));
}

describe('a lift station: the wet well fails at the top', () => {
  it('a healthy lift station holds its set level: no level alert', () => {
    expect(levelRules(evaluateAlerts(healthy, station)).map(show)).toEqual([]);
  });

  it('D-01: the wet well above 85 % and rising is "critically high", not "low"', () => {
    // 3.45 m (86 %) rising 5 cm a row for two hours
    const start = 200;
    const alerts = levelRules(
      evaluateAlerts(
        withLevel(start, 8, (i) => 3.45 + 0.05 * i),
        station,
      ),
    );
    const d01 = alerts.filter((a) => a.rule === 'D-01');
    expect(d01).toHaveLength(1);
    expect(d01[0].message).toMatch(/^Wet well at 8\d\.\d % and rising$/);
    // A row stands for the 15 minutes before it: the first row over 85 % already held the 5-minute delay.
    expect(formatTimestamp(d01[0].timestamp)).toBe(formatTimestamp(healthy[start].time));
  });

  it('a low wet well that keeps falling is no emergency on a lift station (it would be D-01 in a tank)', () => {
    const low = withLevel(200, 8, (i) => 0.5 - 0.03 * i);
    expect(levelRules(evaluateAlerts(low, station)).filter((a) => a.rule === 'D-01')).toEqual([]);
    const tank = evaluateAlerts(low, { ...station, kind: 'booster' });
    expect(tank.filter((a) => a.rule === 'D-01').map((a) => a.message)[0]).toMatch(/falling$/);
  });

  it('D-02: an empty wet well is an alarm only while a pump runs on it', () => {
    const start = 300;
    const empty = (pumping: boolean) =>
      levelRules(
        evaluateAlerts(
          withLevel(
            start,
            4,
            () => LIFT_WELL.topM * 0.01,
            pumping ? {} : { on: healthy[0].on.map(() => false), kw: healthy[0].kw.map(() => 0) },
          ),
          station,
        ),
      ).filter((a) => a.rule === 'D-02');
    expect(empty(true).map((a) => a.message)).toEqual([
      expect.stringMatching(/^Wet well empty \(0\.0 m\) with \d pumps running$/),
    ]);
    expect(empty(false)).toEqual([]);
  });

  it('D-04: the wet well rising fast with no pump running', () => {
    const start = 400;
    const stopped = {
      on: healthy[0].on.map(() => false),
      kw: healthy[0].kw.map(() => 0),
      pumpFlow: healthy[0].pumpFlow.map(() => 0),
    };
    // 30 cm a row = 2 cm/min = 0.5 % of the 4 m range a minute (the rule: over 0.4 %)
    const alerts = levelRules(
      evaluateAlerts(
        withLevel(start, 4, (i) => 1.6 + 0.3 * (i + 1), stopped),
        station,
      ),
    );
    expect(alerts.map(show)).toEqual([
      {
        rule: 'D-04',
        at: formatTimestamp(healthy[start].time),
        message: expect.stringMatching(/^Wet well rising 0\.0[12]\d m\/min with no pump running$/),
      },
    ]);
  });
});
