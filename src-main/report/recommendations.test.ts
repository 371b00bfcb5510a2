import { describe, expect, it } from 'vitest';
import type { AlarmKpis, PumpPerformance } from '../../src-shared/api/contract';
import type { ParameterPerformance } from '../../src-shared/performance/evaluate';
import type { Findings, StationFigures } from './findings';
import { recommendations } from './recommendations';

// Each recommendation comes from a finding; a healthy station gets none.

const figures: StationFigures = {
  days: 30,
  totalKwh: 30_000,
  totalM3: 90_000,
  energyPerM3: 0.333,
  energyPerM3TrendPct: 0.1,
  energyPerM3TrendLowPct: -0.5,
  startsPerDay: 7,
  tankStability: 98,
  band: [15, 90],
  peakShare: 0.12,
  budgetKwh: 1600,
  daysOverBudget: 0,
  kwhAgainstBudgetPct: 62,
  alertsPerDay: 0.2,
  criticalPerDay: 0,
  health: [{ pump: 'P1', mean: 95, latest: 96 }],
  maxStartsPerDay: [{ pump: 'P1', starts: 6 }],
  minutes: 43_200,
  expectedMinutes: 43_200,
  gaps: 0,
  first: '2025-03-01 00:00',
  last: '2025-03-30 23:59',
};
const alarms: AlarmKpis = {
  from: null,
  to: null,
  loggedMinutes: 43_200,
  alerts: 6,
  perTenMinutes: 0.001,
  perDay: 0.2,
  criticalPerDay: 0,
  floodPeriods: 0,
  floodPercent: 0,
  busiestTenMinutes: 1,
  top10: [],
  top10Share: 0,
  chattering: 0,
  stale: 0,
  bySeverity: {},
};

function flow(overrides: Partial<ParameterPerformance>): ParameterPerformance {
  return {
    parameter: 'flow',
    mandatory: true,
    band: { lower: -8, upper: 8 },
    baseline: 100,
    current: 100,
    deviation: 0,
    state: 'in',
    severity: 0,
    firstExceedance: null,
    trend: null,
    crossing: null,
    ...overrides,
  };
}

function pump(status: PumpPerformance['status'], parameter: ParameterPerformance): PumpPerformance {
  return {
    pump: 'P4',
    grade: '2B',
    gradeSource: 'baseline',
    status,
    parameters: [parameter],
    outOfBandSince: status === 'Normal' ? null : '2025-03-20 10:00:00',
  } as PumpPerformance;
}

function findings(patch: Partial<Findings> = {}, figurePatch: Partial<StationFigures> = {}): Findings {
  return {
    period: { from: '2025-03-01', to: '2025-03-30' },
    figures: { ...figures, ...figurePatch },
    alerts: [],
    alarms,
    pumps: [],
    stationPumps: [],
    models: [],
    predictions: [],
    ...patch,
  } as Findings;
}

const texts = (f: Findings) => recommendations(f).map((r) => r.text);

describe('recommendations', () => {
  it('none for a healthy station', () => expect(texts(findings())).toEqual([]));

  it('a pump out of band: inspect it, act now when Critical or worse', () => {
    const [r] = recommendations(
      findings({ pumps: [pump('Critical', flow({ deviation: -13, state: 'below', severity: 1.6 }))] }),
    );
    expect(r).toEqual({
      priority: 0,
      text: 'Inspect pump P4: Critical against its 2B baseline, flow -13.0 % (band −8 to +8 %), out of band since 2025-03-20 10:00:00.',
    });
  });

  it('a projected crossing within 30 days, only when the trend is certain', () => {
    const crossing = {
      side: 'below' as const,
      limit: -8,
      date: '2025-04-15',
      days: 16,
      earliest: '2025-04-10',
      latest: '2025-04-25',
      significant: true,
    };
    const certain = flow({
      deviation: -4,
      trend: { perWeek: -1.75, perWeekLow: -2.1, perWeekHigh: -1.4, days: 14, significant: true },
      crossing,
    });
    expect(texts(findings({ pumps: [pump('Normal', certain)] }))).toEqual([
      'Schedule maintenance on pump P4 before 2025-04-15: its flow moves -1.75 points/week (95 %: -2.10 to -1.40) and leaves the 2B band then.',
    ]);
    const noisy = flow({
      deviation: -4,
      trend: { perWeek: -1.75, perWeekLow: -4, perWeekHigh: 0.5, days: 14, significant: false },
      crossing: { ...crossing, significant: false },
    });
    expect(texts(findings({ pumps: [pump('Normal', noisy)] }))).toEqual([]);
    const later = flow({
      deviation: -4,
      trend: { perWeek: -0.2, perWeekLow: -0.3, perWeekHigh: -0.1, days: 14, significant: true },
      crossing: { ...crossing, date: '2025-07-01' },
    });
    expect(texts(findings({ pumps: [pump('Normal', later)] }))).toEqual([]);
  });

  it('a model predicting failure within a week (seed 000: RUL < 7 d or risk > 0.7): act now', () => {
    const soon = {
      pump: 'P4',
      asOf: '2025-03-30 23:00:00',
      rulDays: 4.2,
      rulVersion: 2,
      risk: 0.8,
      riskVersion: 1,
      horizonDays: 7,
      rulQuality: null,
      riskQuality: null,
    };
    expect(recommendations(findings({ predictions: [soon] }))).toEqual([
      {
        priority: 0,
        text: 'Pump P4 is predicted to fail soon: remaining useful life 4.2 days, 80 % risk within 7 days (production models, as of 2025-03-30 23:00:00).',
      },
    ]);
    expect(texts(findings({ predictions: [{ ...soon, rulDays: 20, risk: 0.1 }] }))).toEqual([
      'Plan the overhaul of pump P4: its remaining useful life is 20 days (production model v2).',
    ]);
    expect(texts(findings({ predictions: [{ ...soon, rulDays: 80, risk: 0.1 }] }))).toEqual([]);
  });

  it('station figures past their targets, and alarm-system figures past EEMUA 191', () => {
    const all = texts(
      findings(
        {
          alarms: {
            ...alarms,
            perTenMinutes: 1.4,
            floodPercent: 2.5,
            chattering: 3,
            stale: 1,
            top10: [{ rule: 'C-02', count: 40, share: 0.5 }],
          },
        },
        {
          tankStability: 91.2,
          daysOverBudget: 4,
          peakShare: 0.45,
          maxStartsPerDay: [{ pump: 'P2', starts: 19 }],
          health: [{ pump: 'P5', mean: 70, latest: 64 }],
          minutes: 40_000,
        },
      ),
    );
    expect(all).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Alert load is 1.40 per 10 minutes'),
        expect.stringContaining('2.50 % of 10-minute periods are alert floods'),
        expect.stringContaining('3 chattering alert episodes'),
        expect.stringContaining('1 alert has been active over 24 h'),
        expect.stringContaining('within its operating band (15–90 % of its range) for 91.2 % of the time'),
        expect.stringContaining('on 4 of 30 days'),
        expect.stringContaining('45.0 % of energy is drawn in peak tariff hours'),
        expect.stringContaining('Pump P2 started up to 19 times a day'),
        expect.stringContaining('Pump P5 ends the period with a health score of 64'),
        expect.stringContaining('logged 92.6 % of the period'),
      ]),
    );
    expect(all).toHaveLength(10);
  });
});
