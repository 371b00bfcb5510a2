import { describe, expect, it } from 'vitest';
import { anomaliesCsv, summarise } from './anomalyStats';
import { type DebounceState, shouldReport } from './debounce';
import { payloadProblem, type StoredAnomaly } from './payload';

const MIN = 60_000;

describe('should_report (seed 000), with the state kept between runs', () => {
  it('new, debounced, escalated, reset on Normal, and again after the debounce', () => {
    const state: DebounceState = { subjects: {} };
    const at = (m: number) => m * MIN;
    expect(shouldReport(state, 'flow', 'Warning', at(0), 60)).toMatchObject({ report: true, reason: 'new Warning' });
    expect(shouldReport(state, 'flow', 'Warning', at(30), 60)).toMatchObject({ report: false });
    expect(shouldReport(state, 'flow', 'Critical', at(31), 60)).toMatchObject({
      report: true,
      reason: 'escalated from Warning to Critical',
    });
    expect(shouldReport(state, 'flow', 'Warning', at(40), 60)).toMatchObject({ report: false }); // a lower status waits
    expect(shouldReport(state, 'flow', 'Critical', at(95), 60)).toMatchObject({
      report: true,
      reason: 'still Critical after the debounce',
    });
    expect(shouldReport(state, 'flow', 'Normal', at(96), 60)).toMatchObject({ report: false });
    expect(state.subjects.flow).toBeUndefined();
    expect(shouldReport(state, 'flow', 'Warning', at(97), 60)).toMatchObject({ report: true, reason: 'new Warning' });
    // Subjects are independent.
    expect(shouldReport(state, 'head', 'Warning', at(98), 60)).toMatchObject({ report: true });
    // The state survives JSON (it is a file on the site).
    const again: DebounceState = JSON.parse(JSON.stringify(state));
    expect(shouldReport(again, 'head', 'Warning', at(99), 60)).toMatchObject({ report: false });
  });
});

describe('payload', () => {
  const valid = {
    sourceType: 'log',
    description: 'd',
    siteId: 1,
    pumpId: 2,
    sensorId: 3,
    timestamp: '2025-01-01T00:00:00Z',
    logValue: 1,
    additionalContext: {},
    metadata: {},
  };
  it.each([
    [{}, 'sourceType'],
    [{ ...valid, description: ' ' }, 'description'],
    [{ ...valid, siteId: 1.5 }, 'siteId'],
    [{ ...valid, timestamp: 'yesterday' }, 'timestamp'],
    [{ ...valid, logValue: 'x' }, 'logValue'],
    [{ ...valid, metadata: [] }, 'metadata'],
    [[], '(body)'],
    // What a storable payload must also be (each of these gave HTTP 500 with DuckDB's text).
    [{ ...valid, siteId: 3_000_000_000 }, 'siteId'],
    [{ ...valid, pumpId: -1 }, 'pumpId'],
    [{ ...valid, timestamp: 'March 7' }, 'timestamp'],
    [{ ...valid, timestamp: '2025-02-30T00:00:00Z' }, 'timestamp'],
    [{ ...valid, timestamp: '9999-01-01T00:00:00Z' }, 'timestamp'],
    [{ ...valid, metadata: { idempotencyKey: { a: 1 } } }, 'metadata.idempotencyKey'],
  ])('names the field: %j → %s', (payload, field) => expect(payloadProblem(payload)?.field).toBe(field));
  it('accepts a valid payload', () => expect(payloadProblem(valid)).toBeNull());
  it('refuses context nested 10,000 deep without overflowing the stack', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`);
    expect(payloadProblem({ ...valid, additionalContext: deep })?.field).toBe('additionalContext');
  });
  it('accepts the ISO 8601 shapes runners send', () => {
    for (const timestamp of [
      '2025-01-01T00:00:00Z',
      '2025-01-01T00:00:00.123+02:00',
      '2025-01-01T00:00',
      '2025-01-01 00:00:00',
    ])
      expect(payloadProblem({ ...valid, timestamp })).toBeNull();
  });
});

describe('anomaly statistics and CSV (seed 000 AnomalyQueryTool)', () => {
  const item = (id: number, pumpId: number, day: string, status: string): StoredAnomaly => ({
    id,
    sourceType: 'log',
    description: `a, "quoted"`,
    siteId: 9,
    pumpId,
    sensorId: 101,
    timestamp: `${day}T10:00:00Z`,
    logValue: 1,
    additionalContext: { status },
    metadata: {},
    createdAt: day,
  });
  const items = [
    item(1, 1, '2025-01-01', 'Warning'),
    item(2, 1, '2025-01-01', 'Critical'),
    item(3, 2, '2025-01-02', 'Warning'),
  ];
  it('counts by status, pump, site and sensor, per day and per pump', () => {
    const s = summarise(items);
    expect(s).toMatchObject({
      total: 3,
      byStatus: { Warning: 2, Critical: 1 },
      byPump: { 1: 2, 2: 1 },
      bySite: { 9: 3 },
      range: { start: '2025-01-01T10:00:00Z', end: '2025-01-02T10:00:00Z' },
    });
    expect(s.perDay).toEqual([
      { date: '2025-01-01', status: 'Warning', count: 1 },
      { date: '2025-01-01', status: 'Critical', count: 1 },
      { date: '2025-01-02', status: 'Warning', count: 1 },
    ]);
  });
  it('exports CSV with nested JSON as text and quotes where needed', () => {
    const lines = anomaliesCsv(items).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      '1,log,"a, ""quoted""",9,1,101,2025-01-01T10:00:00Z,1,"{""status"":""Warning""}",{},2025-01-01',
    );
  });
});
