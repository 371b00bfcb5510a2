import { describe, expect, it } from 'vitest';
import { metric } from './units';

describe('recorded US units in metric', () => {
  it('converts gpm, psi (water column) and hp; efficiency stays %', () => {
    expect(metric('flow', 100).value).toBeCloseTo(22.7125, 3);
    expect(metric('head', 10).value).toBeCloseTo(7.0307, 3);
    expect(metric('power', 20).value).toBeCloseTo(14.914, 3);
    expect(metric('efficiency', 60)).toEqual({ value: 60, unit: '%' });
  });
});
