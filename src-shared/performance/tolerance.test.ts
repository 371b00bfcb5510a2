import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRADE_NAMES, GRADES, type Grade, gradeForApplication, PARAMETERS, type Parameter } from './grades';
import { checkParameter, checkTolerances, classifyStatus, statusOf, statusRank } from './tolerance';

const check = (grade: Grade, parameter: Parameter, deviation: number) =>
  checkParameter(parameter, deviation, GRADES[grade][parameter]);

describe('HI 14.6 bands, hand-computed', () => {
  // [grade, parameter, deviation %, expected side, expected severity]
  const cases: Array<[Grade, Parameter, number, 'below' | 'above' | null, number]> = [
    // bilateral flow and head: both sides, the limit itself inside
    ['1B', 'flow', -5, null, 0],
    ['1B', 'flow', -5.5, 'below', 1.1],
    ['1B', 'flow', 6, 'above', 1.2],
    ['1B', 'head', -3.3, 'below', 1.1],
    ['1B', 'head', 3, null, 0],
    ['1E', 'flow', 7.5, 'above', 1.5],
    ['1E', 'head', -6, 'below', 2],
    ['2B', 'flow', -8, null, 0],
    ['2B', 'flow', -12, 'below', 1.5],
    ['2B', 'head', 5.5, 'above', 1.1],
    ['3B', 'flow', 9.9, 'above', 1.1],
    ['3B', 'head', -14, 'below', 2],
    // unilateral "U" grades: below the baseline is outside, measured against the upper limit
    ['1U', 'flow', 0, null, 0],
    ['1U', 'flow', -1, 'below', 0.1],
    ['1U', 'flow', -15, 'below', 1.5],
    ['1U', 'flow', 10, null, 0],
    ['1U', 'flow', 11, 'above', 1.1],
    ['1U', 'head', -3, 'below', 0.5],
    ['1U', 'head', 6.6, 'above', 1.1],
    ['2U', 'flow', -0.5, 'below', 0.5 / 16],
    ['2U', 'flow', 16, null, 0],
    ['2U', 'flow', 20, 'above', 1.25],
    ['2U', 'head', -12, 'below', 1.2],
    // power fails above only
    ['1B', 'power', 4, null, 0],
    ['1B', 'power', 5, 'above', 1.25],
    ['1B', 'power', -40, null, 0],
    ['1U', 'power', 12, 'above', 1.2],
    ['2U', 'power', 16.5, 'above', 16.5 / 16],
    ['3B', 'power', 9, null, 0],
    ['1E', 'power', 4.5, 'above', 1.125],
    ['2B', 'power', 8.8, 'above', 1.1],
    ['3B', 'power', 18, 'above', 2],
    // efficiency fails below only; "≥ 0" is measured against 1 point
    ['1B', 'efficiency', -3, null, 0],
    ['1B', 'efficiency', -4.5, 'below', 1.5],
    ['1B', 'efficiency', 25, null, 0],
    ['1E', 'efficiency', -0.5, 'below', 0.5],
    ['1U', 'efficiency', -2, 'below', 2],
    ['2B', 'efficiency', -6, 'below', 1.2],
    ['2U', 'efficiency', -5, null, 0],
    ['2U', 'efficiency', -5.5, 'below', 1.1],
    ['3B', 'efficiency', -7.7, 'below', 1.1],
  ];
  it.each(cases)('%s %s at %s %%: %s, severity %s', (grade, parameter, deviation, side, severity) => {
    const result = check(grade, parameter, deviation);
    expect(result.side).toBe(side);
    expect(result.exceeded).toBe(side !== null);
    expect(result.severity).toBeCloseTo(severity, 10);
  });

  it('covers every grade and parameter', () => {
    const missing = GRADE_NAMES.flatMap((g) =>
      PARAMETERS.filter((p) => !cases.some(([cg, cp, , side]) => cg === g && cp === p && side !== null)).map(
        (p) => `${g} ${p}`,
      ),
    );
    expect(missing).toEqual([]);
  });
});

describe('status (seed 000 classify_status)', () => {
  const cases: Array<[string, Grade, Partial<Record<Parameter, number>>, string]> = [
    ['all inside', '1B', { flow: 2, head: -1, power: 3, efficiency: -2 }, 'Normal'],
    ['mandatory at severity 1.5 exactly', '1B', { flow: -7.5 }, 'Warning'],
    ['mandatory just above 1.5', '1B', { flow: -7.6 }, 'Critical'],
    ['mandatory at severity 2.0 exactly', '1B', { flow: 10 }, 'Critical'],
    ['mandatory above 2.0', '1B', { head: -6.1 }, 'Failure'],
    ['optional breach alone, however large', '1B', { flow: 0, head: 0, power: 40, efficiency: -30 }, 'Warning'],
    ['the worst mandatory severity decides', '2B', { flow: -9, head: 10.5 }, 'Failure'],
    ['unilateral: a little below the baseline', '1U', { flow: -0.2, head: 1 }, 'Warning'],
    ['unilateral: far below', '1U', { flow: -21 }, 'Failure'],
    ['missing values are not checked', '1B', { flow: null as unknown as number, head: 1 }, 'Normal'],
  ];
  it.each(cases)('%s', (_name, grade, deviations, status) => expect(statusOf(deviations, grade)).toBe(status));

  it('lists only parameters with a value', () => {
    expect(checkTolerances({ flow: 1, power: null }, '1B').map((c) => c.parameter)).toEqual(['flow']);
    expect(classifyStatus([])).toBe('Normal');
  });
});

describe('grade from application and horsepower (seed 000)', () => {
  it.each([
    ['API 610 refinery', 200, '1B'],
    ['Cooling tower', 60, '1E'],
    ['Municipal Water and Wastewater', 24, '1U'],
    ['General Industry', 150, '2B'],
    ['General Industry', 100, '2U'],
    ['Dewatering', 30, '3B'],
  ] as const)('%s, %s hp: %s', (application, hp, grade) =>
    expect(gradeForApplication(application, hp)).toEqual({ grade, matched: true }),
  );

  it('an unknown application gets 2B and says it did not match', () =>
    expect(gradeForApplication('Irrigation', 40)).toEqual({ grade: '2B', matched: false }));
});

describe('properties', () => {
  const grade = fc.constantFrom(...GRADE_NAMES);
  const deviation = fc.double({ min: -40, max: 40, noNaN: true });
  const deviations = fc.record({ flow: deviation, head: deviation, power: deviation, efficiency: deviation });

  it('scaling deviations toward the baseline never raises the status', () => {
    fc.assert(
      fc.property(grade, deviations, fc.double({ min: 0, max: 1, noNaN: true }), (g, d, k) => {
        const scaled = { flow: d.flow * k, head: d.head * k, power: d.power * k, efficiency: d.efficiency * k };
        expect(statusRank(statusOf(scaled, g))).toBeLessThanOrEqual(statusRank(statusOf(d, g)));
      }),
    );
  });

  it('a healthy pump scaled anywhere inside its band stays Normal', () => {
    fc.assert(
      fc.property(
        grade,
        fc.record({
          flow: fc.double({ min: 0, max: 1, noNaN: true }),
          head: fc.double({ min: 0, max: 1, noNaN: true }),
          power: fc.double({ min: 0, max: 1, noNaN: true }),
          efficiency: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        (g, u) => {
          // A point inside each band: between its limits (an open side is taken as 20 % away).
          const inside = (p: Parameter, f: number) => {
            const { lower, upper } = GRADES[g][p];
            const lo = lower ?? (upper ?? 0) - 20;
            const hi = upper ?? (lower ?? 0) + 20;
            return lo + f * (hi - lo);
          };
          const d = {
            flow: inside('flow', u.flow),
            head: inside('head', u.head),
            power: inside('power', u.power),
            efficiency: inside('efficiency', u.efficiency),
          };
          expect(statusOf(d, g)).toBe('Normal');
        },
      ),
    );
  });

  it('moving one parameter further from the baseline never lowers the status', () => {
    fc.assert(
      fc.property(
        grade,
        deviations,
        fc.constantFrom(...PARAMETERS),
        fc.double({ min: 1, max: 3, noNaN: true }),
        (g, d, p, k) => {
          expect(statusRank(statusOf({ ...d, [p]: d[p] * k }, g))).toBeGreaterThanOrEqual(statusRank(statusOf(d, g)));
        },
      ),
    );
  });
});
