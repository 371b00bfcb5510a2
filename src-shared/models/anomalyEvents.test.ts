import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../random';
import { fitDetector, type SignalRow, scoreRows } from './anomaly';
import { anomalyEvents, driversText } from './anomalyEvents';

// Four signals, two of them tied (b follows a), two independent; minute rows.
function plant(rows: number, seed = 3): Array<Array<number | null>> {
  const random = seededRandom(seed);
  return Array.from({ length: rows }, () => {
    const a = gaussian(random);
    return [a, 2 * a + 0.2 * gaussian(random), gaussian(random), gaussian(random)];
  });
}
const COLUMNS = ['flow', 'power', 'pressure', 'vibration'];
const times = (n: number) => Array.from({ length: n }, (_, i) => `row ${String(i).padStart(4, '0')}`);

describe('anomalies as events an operator reads', () => {
  it('a step in one signal is one event, driven by that signal', () => {
    const rows = plant(2000);
    for (let i = 1200; i < 1300; i += 1) rows[i][2] = (rows[i][2] as number) + 6;
    const det = fitDetector(rows.slice(0, 600), COLUMNS);
    const events = anomalyEvents(det, rows, scoreRows(det, rows), times(rows.length));
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event.from >= 'row 1200' && event.from <= 'row 1215').toBe(true);
    expect(event.to >= 'row 1299' && event.to <= 'row 1330').toBe(true);
    expect(event.drivers[0].signal).toBe('pressure');
    expect(event.drivers[0].share).toBeGreaterThan(0.8);
    expect(driversText(event.drivers)).toMatch(/^pressure \d+ %/);
  });

  it('two tied signals that part company drive the event together, though neither leaves its range', () => {
    const rows = plant(2000, 5);
    // power stops following flow: each alone stays within its normal range.
    for (let i = 1000; i < 1100; i += 1) rows[i][1] = -2 * (rows[i][0] as number);
    const det = fitDetector(rows.slice(0, 600), COLUMNS);
    const events = anomalyEvents(det, rows, scoreRows(det, rows), times(rows.length));
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(
      events[0].drivers
        .slice(0, 2)
        .map((d) => d.signal)
        .sort(),
    ).toEqual(['flow', 'power']);
  });

  it('rows with no signal inside an event continue it; rows missing some signals are scored from the others', () => {
    const rows: SignalRow[] = plant(2000, 7);
    const edited = rows.map((r) => [...r]);
    for (let i = 1200; i < 1300; i += 1) edited[i][3] = (edited[i][3] as number) + 6;
    for (let i = 1240; i < 1246; i += 1) edited[i] = [null, null, null, null];
    for (let i = 1260; i < 1280; i += 1) edited[i][0] = null;
    const det = fitDetector(edited.slice(0, 600), COLUMNS);
    const results = scoreRows(det, edited);
    expect(results[1242].score).toBeNull();
    expect(results[1270].score).not.toBeNull();
    const events = anomalyEvents(det, edited, results, times(edited.length));
    expect(events).toHaveLength(1);
    expect(events[0].drivers[0].signal).toBe('vibration');
  });

  it('a healthy plant raises none', () => {
    const rows = plant(3000, 11);
    const det = fitDetector(rows.slice(0, 600), COLUMNS);
    expect(anomalyEvents(det, rows, scoreRows(det, rows), times(rows.length))).toEqual([]);
  });
});
