import { describe, expect, it } from 'vitest';
import { evaluationOrder, GROUP_NAMES, RULES } from '../../src-shared/alerts/catalog';
import { AlertEngine, type AlertRecord, evaluateAlerts } from '../../src-shared/alerts/engine';
import type { MinuteReading } from '../../src-shared/alerts/minute';
import { formatTimestamp, parseTimestamp } from '../../src-shared/time';
import { demoStationConfig } from '../demo/createDemo';
import { demoReadings } from '../demo/demoReadings';

const station = demoStationConfig();
const healthy = demoReadings({ days: 30, seed: 1, start: '2025-03-01' });
const at = parseTimestamp;
const index = (readings: MinuteReading[], text: string) => readings.findIndex((r) => r.time === at(text));
const strong = (alerts: AlertRecord[]) => alerts.filter((a) => a.severity === 'CRITICAL' || a.severity === 'HIGH');
const show = (a: AlertRecord) => ({
  rule: a.rule,
  pump: a.pump,
  at: formatTimestamp(a.timestamp),
  resolved: a.resolvedAt === null ? null : formatTimestamp(a.resolvedAt),
});

describe('the rule catalog (seed 002 §8.4-8.11)', () => {
  const codes = RULES.map((r) => r.code);
  it('holds the 47 rules A-01..H-05, each once', () => {
    const expected = Object.entries({ A: 5, B: 7, C: 7, D: 7, E: 5, F: 7, G: 4, H: 5 }).flatMap(([g, n]) =>
      Array.from({ length: n }, (_, i) => `${g}-0${i + 1}`),
    );
    expect(codes).toEqual(expected);
  });

  it.each(RULES.map((r) => [r.code, r] as const))('%s is complete and consistent', (code, rule) => {
    expect(rule.group).toBe(code[0]);
    expect(GROUP_NAMES[rule.group]).toBeTruthy();
    expect(['CRITICAL', 'HIGH', 'WARNING', 'INFO']).toContain(rule.severity);
    expect(rule.name.length).toBeGreaterThan(5);
    expect(rule.condition.length).toBeGreaterThan(10);
    expect(rule.hint.length).toBeGreaterThan(10);
    expect(rule.onDelayMin).toBeGreaterThanOrEqual(0);
    expect(rule.offDelayMin).toBeGreaterThanOrEqual(0);
    for (const dependency of rule.dependsOn ?? []) expect(codes).toContain(dependency);
  });

  it('evaluates every rule after the rules it depends on', () => {
    const order = evaluationOrder().map((r) => r.code);
    for (const rule of RULES)
      for (const dependency of rule.dependsOn ?? [])
        expect(order.indexOf(dependency)).toBeLessThan(order.indexOf(rule.code));
  });
});

describe('a healthy station', () => {
  const alerts = evaluateAlerts(healthy, station);
  it('raises nothing CRITICAL or HIGH in 30 days (pump starts and stops are not flow anomalies)', () => {
    expect(strong(alerts).map(show)).toEqual([]);
  });
  it('does not chatter: no rule raises three times within an hour', () => {
    const byRule = new Map<string, number[]>();
    for (const a of alerts)
      byRule.set(`${a.rule}|${a.pump}`, [...(byRule.get(`${a.rule}|${a.pump}`) ?? []), a.timestamp]);
    for (const times of byRule.values())
      for (let i = 2; i < times.length; i++) expect(times[i] - times[i - 2]).toBeGreaterThan(3_600_000);
  });
});

describe('batch and streaming give the same alerts', () => {
  it('an engine stopped and resumed from a JSON snapshot every 6 hours matches one continuous run', () => {
    const readings = healthy
      .slice(0, 10 * 1440)
      .map((r, i) => (i % 997 === 0 ? { ...r, kw: r.kw.map((k, j) => (j === 2 ? 80 : k)) } : r));
    const batch = evaluateAlerts(readings, station);
    const streamed: AlertRecord[] = [];
    let snapshot: unknown = null;
    for (let start = 0; start < readings.length; start += 360) {
      const engine = new AlertEngine(station);
      if (snapshot) engine.restore(JSON.parse(JSON.stringify(snapshot)));
      for (const reading of readings.slice(start, start + 360)) {
        for (const event of engine.push(reading)) {
          if (event.type === 'raise') streamed.push({ ...event.alert });
          else
            Object.assign(
              streamed.find(
                (a) =>
                  a.rule === event.alert.rule && a.pump === event.alert.pump && a.timestamp === event.alert.timestamp,
              )!,
              event.alert,
            );
        }
      }
      snapshot = engine.snapshot();
    }
    expect(batch.length).toBeGreaterThan(0);
    expect(streamed).toEqual(batch);
  });
});

/** Runs the healthy readings with `fault` applied to the minutes from `from` for `minutes`. */
function withFault(from: string, minutes: number, fault: (r: MinuteReading) => MinuteReading, readings = healthy) {
  const start = index(readings, from);
  return evaluateAlerts(
    readings.map((r, i) => (i >= start && i < start + minutes ? fault(structuredClone(r)) : r)),
    station,
  );
}

describe('fault scenarios: the right rule, at the right time, for the right pump, and it clears', () => {
  it('B-01: a running pump trips (0 kW while commanded) for 10 minutes', () => {
    const i = healthy.findIndex((r, j) => j > 3000 && r.on[2] && healthy[j + 12]?.on[2] && healthy[j - 1].on[2]);
    const from = formatTimestamp(healthy[i].time);
    const alerts = withFault(from, 10, (r) => ({ ...r, kw: r.kw.map((k, j) => (j === 2 ? 0 : k)) }));
    const trip = alerts.filter((a) => a.rule === 'B-01');
    expect(trip.map(show)).toEqual([
      {
        rule: 'B-01',
        pump: 'P3',
        at: formatTimestamp(healthy[i].time + 2 * 60_000),
        resolved: formatTimestamp(healthy[i].time + 10 * 60_000),
      },
    ]);
    expect(
      strong(alerts)
        .filter((a) => a.rule !== 'B-01')
        .map(show),
    ).toEqual([]);
  });

  it('F-02: a 45-minute gap in the data is one HIGH event spanning it', () => {
    const start = index(healthy, '2025-03-05 10:00:00');
    const alerts = evaluateAlerts([...healthy.slice(0, start), ...healthy.slice(start + 45)], station);
    expect(strong(alerts).map(show)).toEqual([
      { rule: 'F-02', pump: null, at: '2025-03-05 10:00:00', resolved: '2025-03-05 10:45:00' },
    ]);
  });

  it('D-04: the tank drains 3 units a minute with every pump off', () => {
    const i = healthy.findIndex(
      (r, j) => j > 2000 && r.on.every((o) => !o) && healthy.slice(j, j + 15).every((x) => x.on.every((o) => !o)),
    );
    let level = healthy[i].level!;
    const alerts = withFault(formatTimestamp(healthy[i].time), 15, (r) => {
      level -= 3;
      return { ...r, level };
    });
    expect(strong(alerts).map((a) => a.rule)).toEqual(['D-04']);
    expect(strong(alerts)[0].timestamp).toBe(healthy[i].time + 60_000); // "for > 1 min": the second draining minute
  });

  it('E-04: a pump started and stopped every other minute for an hour (and E-03 yields to it)', () => {
    const start = index(healthy, '2025-03-10 01:00:00');
    const alerts = withFault('2025-03-10 01:00:00', 60, (r) => {
      const minute = (r.time - healthy[start].time) / 60_000;
      const on = minute % 4 < 2;
      return {
        ...r,
        on: r.on.map((o, j) => (j === 5 ? on : o)),
        kw: r.kw.map((k, j) => (j === 5 ? (on ? 29 : 0) : k)),
      };
    });
    expect(strong(alerts).map((a) => `${a.rule} ${a.pump}`)).toEqual(['E-04 P6']);
    expect(alerts.filter((a) => a.rule === 'E-03' && a.timestamp >= healthy[start].time + 40 * 60_000)).toEqual([]);
  });
});

describe('docs/alerts.md', () => {
  it('is generated from the catalog and current (npm run docs:alerts)', async () => {
    const { readFileSync } = await import('node:fs');
    const { alertCatalogMarkdown } = await import('../../src-shared/alerts/catalogDoc');
    expect(readFileSync(new URL('../../docs/alerts.md', import.meta.url), 'utf8')).toBe(alertCatalogMarkdown());
  });
});
