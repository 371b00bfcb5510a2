import { describe, expect, it } from 'vitest';
import { instantInStationTime } from './station/clock';
import { clockDateTime, clockTime, naiveDate, timeAxisTick } from './time';

describe('the operator clock', () => {
  it('writes times on a 24- or 12-hour clock; midnight and noon are 12 AM and 12 PM', () => {
    expect(clockTime(naiveDate('2025-03-03 00:05:00'), 24)).toBe('00:05');
    expect(clockTime(naiveDate('2025-03-03 00:05:00'), 12)).toBe('12:05 AM');
    expect(clockTime(naiveDate('2025-03-03 12:30:00'), 12)).toBe('12:30 PM');
    expect(clockTime(naiveDate('2025-03-03 14:30:00'), 12)).toBe('2:30 PM');
    expect(clockDateTime(naiveDate('2025-03-03 14:30:00'), 24)).toBe('2025-03-03 14:30');
  });

  it('ticks a time axis with the day, month or year at their start and the time otherwise', () => {
    const tick = timeAxisTick(24);
    expect(tick(naiveDate('2025-03-03 00:00:00'))).toBe('Mar 3');
    expect(tick(naiveDate('2025-03-01 00:00:00'))).toBe('Mar');
    expect(tick(naiveDate('2026-01-01 00:00:00'))).toBe('2026');
    expect(tick(naiveDate('2025-03-03 06:00:00'))).toBe('06:00');
    expect(timeAxisTick(12)(naiveDate('2025-03-03 18:00:00'))).toBe('6:00 PM');
  });
});

describe('an instant in station time', () => {
  it('is the station wall clock when its zone is known, else UTC said so', () => {
    expect(instantInStationTime('2026-12-08T04:30:00.000Z', 'Europe/Helsinki')).toBe('2026-12-08 06:30');
    expect(instantInStationTime('2026-07-08T04:30:00.000Z', 'Europe/Helsinki')).toBe('2026-07-08 07:30');
    expect(instantInStationTime('2026-12-08T04:30:00.000Z', undefined)).toBe('2026-12-08 04:30 UTC');
  });
});
