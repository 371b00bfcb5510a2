import { importanceChart, predictedVsActualChart } from '../../src-shared/charts/modelCharts';
import type { ChartPalette } from '../../src-shared/charts/palette';
import { deviationChart, statusStripChart } from '../../src-shared/charts/performanceCharts';
import {
  alertCountsChart,
  dailyBarsChart,
  dailyLineChart,
  hourlyProfileChart,
  perPumpDailyChart,
  signalChart,
} from '../../src-shared/charts/stationCharts';
import { fmt, signed } from '../../src-shared/format';
import { describeBand } from '../../src-shared/performance/grades';
import { measuredText } from '../../src-shared/performance/units';
import { displayUnit } from '../../src-shared/station/units';
import { stationWords } from '../../src-shared/station/words';
import { naiveDate } from '../../src-shared/time';
import type { Findings } from './findings';
import type { Block, Kpi, ReportModel, ReportSection, ReportSectionId } from './model';
import { recommendations } from './recommendations';

// Findings to the report model: what goes in which section, in words, tables and charts.

const MAX_DAILY_ROWS = 62;
const fileId = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '_');

function kpis(f: Findings): Kpi[] {
  const g = f.figures;
  const health = g.health.filter((h) => h.latest !== null);
  const worstHealth = health.length ? Math.min(...health.map((h) => h.latest ?? Number.POSITIVE_INFINITY)) : null;
  return [
    { name: 'Energy per m³', value: `${fmt(g.energyPerM3, 4)} kWh/m³`, target: 'minimise', ok: null },
    {
      name: 'Energy per m³ trend',
      value: g.energyPerM3TrendPct === null ? '—' : `${signed(g.energyPerM3TrendPct, 2)} %/week`,
      target: '≤ 0',
      ok: g.energyPerM3TrendPct === null ? null : g.energyPerM3TrendPct <= 0,
    },
    { name: 'Energy', value: `${fmt(g.totalKwh, 0)} kWh for ${fmt(g.totalM3, 0)} m³`, ok: null },
    {
      name: 'Energy against budget',
      value:
        g.kwhAgainstBudgetPct === null
          ? '—'
          : `${fmt(g.kwhAgainstBudgetPct, 1)} % of ${fmt(g.budgetKwh, 0)} kWh/day; ${g.daysOverBudget} days over`,
      target: '≤ 100 %',
      ok: g.kwhAgainstBudgetPct === null ? null : g.kwhAgainstBudgetPct <= 100,
    },
    { name: 'Pump switching frequency', value: `${fmt(g.startsPerDay, 1)} starts/day`, target: 'minimise', ok: null },
    {
      name: 'Level within its operating band',
      value: g.tankStability === null ? '—' : `${fmt(g.tankStability, 1)} %`,
      target: '> 95 %',
      ok: g.tankStability === null ? null : g.tankStability > 95,
    },
    {
      name: 'Pump health score (lowest pump)',
      value: worstHealth === null ? '—' : fmt(worstHealth, 0),
      target: '> 70',
      ok: worstHealth === null ? null : worstHealth > 70,
    },
    {
      name: 'Alert frequency',
      value: `${fmt(g.alertsPerDay, 1)} alerts/day, ${fmt(g.criticalPerDay, 2)} critical/day`,
      target: 'falling',
      ok: null,
    },
    { name: 'Peak-hour energy share', value: g.peakShare === null ? '—' : `${fmt(g.peakShare * 100, 1)} %`, ok: null },
  ];
}

function summary(f: Findings): ReportSection {
  const recs = recommendations(f);
  return {
    id: 'summary',
    title: 'Summary',
    blocks: [
      { kind: 'kpis', items: kpis(f) },
      { kind: 'heading', text: 'Recommendations' },
      recs.length
        ? { kind: 'list', items: recs.map((r) => `${['Act now', 'Plan', 'Review'][r.priority]}: ${r.text}`) }
        : {
            kind: 'paragraph',
            text: 'No finding in this period calls for action: pumps are within their bands, alerts are within the EEMUA 191 guides and the tank stayed in range.',
          },
    ],
  };
}

// Long because the station section is its tables in reading order (KPIs, energy, level, pumps), each a few lines.
function stationSection(f: Findings): ReportSection {
  const days = f.daily.days.map((d) => ({ ...d, day: naiveDate(d.date) }));
  const hourly = f.hourly.map((h) => ({
    t: naiveDate(`${h.date} ${String(h.hour).padStart(2, '0')}:30:00`),
    level: h.avg_hlt,
    flow: h.avg_flow,
  }));
  const perPump = (key: 'hours_on' | 'starts') =>
    days.flatMap((d) => Object.entries(d[key]).map(([pump, value]) => ({ day: d.day, pump, value: value ?? 0 })));
  const words = stationWords(f.station);
  const level = f.station.level;
  const basin = words.basin[0].toUpperCase() + words.basin.slice(1);
  const blocks: Block[] = [
    ...(level
      ? [
          {
            kind: 'chart' as const,
            id: 'tank-level',
            title: `${basin} level ${words.level} (hourly mean)`,
            spec: (w: number, p: ChartPalette) =>
              signalChart(
                hourly.flatMap((h) => (h.level === null ? [] : [{ t: h.t, v: h.level }])),
                `↑ ${words.level} (${displayUnit(level.unit)})`,
                p.accent,
                w,
                { max: level.max },
              ),
          },
        ]
      : []),
    {
      kind: 'chart',
      id: 'flow',
      title: `Flow ${words.flow} (hourly mean)`,
      spec: (w, p) =>
        signalChart(
          hourly.flatMap((h) => (h.flow === null ? [] : [{ t: h.t, v: h.flow }])),
          `↑ ${words.flow} (m³/h)`,
          p.accent2,
          w,
        ),
    },
    {
      kind: 'chart',
      id: 'daily-energy',
      title: 'Energy per day',
      caption: `Bars over the daily budget of ${fmt(f.station.daily_energy_budget_kwh, 0)} kWh (dashed) are red.`,
      spec: (w, p) =>
        dailyBarsChart(
          days.map((d) => ({ day: d.day, value: d.total_kwh })),
          '↑ kWh',
          p,
          w,
          f.station.daily_energy_budget_kwh,
        ),
      half: true,
    },
    {
      kind: 'chart',
      id: 'energy-per-m3',
      title: 'Energy per m³',
      spec: (w, p) =>
        dailyLineChart(
          days.map((d) => ({ day: d.day, value: d.energy_per_m3 })),
          '↑ kWh per m³',
          p,
          w,
        ),
      half: true,
    },
    {
      kind: 'chart',
      id: 'pump-hours',
      title: 'Pump hours per day',
      spec: (w, p) => perPumpDailyChart(perPump('hours_on'), 'hours', p, w),
      half: true,
    },
    {
      kind: 'chart',
      id: 'pump-starts',
      title: 'Pump starts per day',
      spec: (w, p) => perPumpDailyChart(perPump('starts'), 'starts', p, w),
      half: true,
    },
    {
      kind: 'chart',
      id: 'hourly-profile',
      title: 'The average day: flow by hour (peak tariff hours in amber)',
      spec: (w, p) => hourlyProfileChart(f.daily.hourly, p, w),
    },
  ];
  if (days.length <= MAX_DAILY_ROWS) {
    blocks.push({
      kind: 'table',
      title: 'Days',
      columns: [
        { name: 'Day' },
        { name: 'Energy kWh', align: 'right' },
        { name: 'Pumped m³', align: 'right' },
        { name: 'kWh/m³', align: 'right' },
        { name: 'Peak share', align: 'right' },
        { name: 'Starts', align: 'right' },
        { name: 'Pump hours', align: 'right' },
      ],
      rows: f.daily.days.map((d) => [
        d.date,
        fmt(d.total_kwh, 1),
        fmt(d.total_flow, 1),
        fmt(d.energy_per_m3, 4),
        d.peak_kwh_share === null ? '—' : `${fmt(d.peak_kwh_share * 100, 1)} %`,
        fmt(Object.values(d.starts).reduce((a, b) => a + (b ?? 0), 0)),
        fmt(
          Object.values(d.hours_on).reduce((a, b) => a + (b ?? 0), 0),
          1,
        ),
      ]),
    });
  } else {
    const months = new Map<string, { kwh: number; m3: number; days: number }>();
    for (const d of f.daily.days) {
      const m = months.get(d.date.slice(0, 7)) ?? { kwh: 0, m3: 0, days: 0 };
      months.set(d.date.slice(0, 7), {
        kwh: m.kwh + (d.total_kwh ?? 0),
        m3: m.m3 + (d.total_flow ?? 0),
        days: m.days + 1,
      });
    }
    blocks.push({
      kind: 'table',
      title: 'Months',
      columns: [
        { name: 'Month' },
        { name: 'Days', align: 'right' },
        { name: 'Energy kWh', align: 'right' },
        { name: 'Pumped m³', align: 'right' },
        { name: 'kWh/m³', align: 'right' },
      ],
      rows: [...months].map(([month, m]) => [
        month,
        String(m.days),
        fmt(m.kwh, 0),
        fmt(m.m3, 0),
        fmt(m.m3 > 0 ? m.kwh / m.m3 : null, 4),
      ]),
    });
  }
  return { id: 'station', title: 'Station', blocks };
}

// Long because the alerts section is its KPI table, then the busiest rules and the longest episodes.
function alertsSection(f: Findings): ReportSection {
  const a = f.alarms;
  const byRule = new Map<string, { count: number; minutes: number; severity: string }>();
  for (const alert of f.alerts) {
    const r = byRule.get(alert.rule) ?? { count: 0, minutes: 0, severity: alert.severity };
    byRule.set(alert.rule, {
      count: r.count + 1,
      minutes: r.minutes + (alert.duration_min ?? 0),
      severity: alert.severity,
    });
  }
  const top = [...byRule].sort((x, y) => y[1].count - x[1].count).slice(0, 10);
  const open = f.alerts.filter((x) => x.severity === 'CRITICAL' && x.resolved === 0);
  const longest = [...f.alerts].sort((x, y) => (y.duration_min ?? 0) - (x.duration_min ?? 0)).slice(0, 10);
  const rows = f.alertsPerDay.map((r) => ({ day: naiveDate(r.date), severity: r.severity, count: r.count }));
  return {
    id: 'alerts',
    title: 'Alerts',
    blocks: [
      {
        kind: 'paragraph',
        text: `${fmt(a.alerts)} alerts in the period: ${fmt(a.perDay, 1)} per day, ${fmt(a.perTenMinutes, 3)} per 10 minutes (EEMUA 191 guide: about 1), ${fmt(a.floodPercent, 2)} % of 10-minute periods in flood (guide: under 1 %), ${a.chattering} chattering, ${a.stale} stale. By severity: ${
          Object.entries(a.bySeverity)
            .map(([s, n]) => `${s} ${n}`)
            .join(', ') || 'none'
        }.`,
      },
      {
        kind: 'chart',
        id: 'alerts-per-day',
        title: 'Alerts raised per day',
        caption: 'CRITICAL red, HIGH orange, WARNING amber, INFO blue.',
        spec: (w, p) => alertCountsChart(rows, p, w),
      },
      {
        kind: 'table',
        title: 'Top rules',
        columns: [
          { name: 'Rule' },
          { name: 'Severity' },
          { name: 'Alerts', align: 'right' },
          { name: 'Share', align: 'right' },
          { name: 'Minutes active', align: 'right' },
          { name: 'Mean minutes', align: 'right' },
        ],
        rows: top.map(([rule, r]) => [
          rule,
          r.severity,
          fmt(r.count),
          `${fmt((r.count / Math.max(1, f.alerts.length)) * 100, 1)} %`,
          fmt(r.minutes),
          fmt(r.minutes / r.count, 1),
        ]),
      },
      {
        kind: 'table',
        title: 'Open CRITICAL alerts at the end of the period',
        columns: [{ name: 'Raised' }, { name: 'Rule' }, { name: 'Pump' }, { name: 'Message' }],
        rows: open.length ? open.map((x) => [x.timestamp, x.rule, x.pump ?? '—', x.message]) : [['—', 'none', '', '']],
      },
      {
        kind: 'table',
        title: 'Longest alerts',
        columns: [
          { name: 'Raised' },
          { name: 'Rule' },
          { name: 'Pump' },
          { name: 'Minutes', align: 'right' },
          { name: 'Message' },
        ],
        rows: longest.map((x) => [
          x.timestamp,
          x.rule,
          x.pump ?? '—',
          x.duration_min === null ? 'active' : fmt(x.duration_min),
          x.message,
        ]),
      },
    ],
  };
}

// Long because the pump section is one table per check (HI 14.6, specific energy, health), each a few lines.
function pumpsSection(f: Findings): ReportSection {
  const blocks: Block[] = [];
  if (f.pumps.length) {
    blocks.push({
      kind: 'table',
      title: 'Performance against the baseline (ANSI/HI 14.6)',
      columns: [
        { name: 'Pump' },
        { name: 'Grade' },
        { name: 'Status' },
        { name: 'Worst parameter' },
        { name: 'First exceedance' },
        { name: 'Flow trend pt/week', align: 'right' },
        { name: 'Next crossing' },
      ],
      rows: f.pumps.map((p) => {
        const worst = p.parameters.reduce((a, b) => (b.severity > a.severity ? b : a));
        const first = p.parameters
          .map((x) => x.firstExceedance)
          .filter((x): x is string => x !== null)
          .sort()[0];
        const flow = p.parameters.find((x) => x.parameter === 'flow');
        const next = p.parameters
          .filter((x) => x.crossing && x.crossing.days > 0 && x.crossing.significant)
          .sort((a, b) => (a.crossing?.days ?? 0) - (b.crossing?.days ?? 0))[0];
        return [
          p.pump,
          `${p.grade} (${p.gradeSource})`,
          p.status ?? 'no data',
          worst.severity > 0 ? `${worst.parameter} ${signed(worst.deviation, 1)} %` : '—',
          first ?? '—',
          signed(flow?.trend?.perWeek, 2),
          next?.crossing ? `${next.parameter} ${next.crossing.date}` : '—',
        ];
      }),
    });
  } else
    blocks.push({
      kind: 'paragraph',
      text: 'No pump in this report has a baseline: import one to check pumps against ANSI/HI 14.6.',
    });

  if (f.stationPumps.length) {
    blocks.push({
      kind: 'table',
      title: 'Pumps: specific energy at like head and speed, against each pump’s best week (see docs/performance.md)',
      columns: [
        { name: 'Pump' },
        { name: 'Best week kWh/m³', align: 'right' },
        { name: 'Now kWh/m³', align: 'right' },
        { name: 'Change', align: 'right' },
        { name: 'Trend %/week', align: 'right' },
      ],
      rows: f.stationPumps.map((s) => [
        s.pump,
        s.tooShort ? 'too short to judge' : fmt(s.reference, 4),
        fmt(s.current, 4),
        s.changePct === null ? '—' : `${signed(s.changePct, 2)} %`,
        signed(s.trendPerWeek, 2),
      ]),
    });
  }

  for (const p of f.pumps) {
    // A pump's heading, table, status strip and first charts start on one page.
    blocks.push({ kind: 'heading', text: `Pump ${p.pump}: ${p.status ?? 'no data'}, grade ${p.grade}`, keepWith: 330 });
    blocks.push({
      kind: 'table',
      columns: [
        { name: 'Parameter' },
        { name: 'Baseline', align: 'right' },
        { name: 'Now', align: 'right' },
        { name: 'Deviation %', align: 'right' },
        { name: 'Band' },
        { name: 'State' },
        { name: 'First left band' },
        { name: 'Leaves band' },
      ],
      rows: p.parameters.map((x) => [
        x.parameter,
        measuredText(x.parameter, x.baseline, fmt),
        measuredText(x.parameter, x.current, fmt),
        signed(x.deviation, 2),
        describeBand(x.band),
        x.state,
        x.firstExceedance ? `${x.firstExceedance}${x.state === 'in' ? ' (back in band)' : ''}` : '—',
        !x.crossing
          ? '—'
          : x.crossing.days === 0
            ? 'outside now'
            : x.crossing.significant
              ? x.crossing.date
              : 'no significant trend',
      ]),
    });
    const id = fileId(p.pump);
    blocks.push({
      kind: 'chart',
      id: `${id}-status`,
      title: `Pump ${p.pump}: status by day`,
      spec: (w, palette) => statusStripChart(p, palette, w),
    });
    for (const x of p.parameters) {
      blocks.push({
        kind: 'chart',
        id: `${id}-${x.parameter}`,
        title: `Pump ${p.pump}: ${x.parameter} deviation against its HI band`,
        spec: (w, palette) => deviationChart(p, x, palette, w, 160),
        half: true,
      });
    }
  }
  return { id: 'pumps', title: 'Pump performance', blocks };
}

function modelsSection(f: Findings): ReportSection {
  const blocks: Block[] = [
    {
      kind: 'table',
      title: 'Production models now',
      columns: [
        { name: 'Pump' },
        { name: 'RUL days', align: 'right' },
        { name: 'Failure risk', align: 'right' },
        { name: 'As of' },
      ],
      rows: f.predictions.map((p) => [
        p.pump,
        fmt(p.rulDays, 1),
        p.risk === null ? '—' : `${fmt(p.risk * 100, 0)} % in ${p.horizonDays} days`,
        p.asOf ?? '—',
      ]),
    },
    {
      kind: 'table',
      title: 'Their holdout metrics (time-ordered split)',
      columns: [
        { name: 'Pump' },
        { name: 'Model' },
        { name: 'Trained' },
        { name: 'Data' },
        { name: 'Holdout' },
        { name: 'Metrics' },
      ],
      rows: f.models.map(({ model: m }) => [
        m.pump,
        `${m.kind} v${m.version}`,
        m.createdAt.slice(0, 10),
        `${m.dataFrom.slice(0, 10)} .. ${m.dataTo.slice(0, 10)}`,
        `${m.holdout.from.slice(0, 10)} .. ${m.holdout.to.slice(0, 10)} (${m.testRows} h)`,
        m.kind === 'rul'
          ? `MAE ${fmt(m.metrics.mae, 2)} d, RMSE ${fmt(m.metrics.rmse, 2)} d, R² ${fmt(m.metrics.r2, 3)}`
          : `precision ${fmt(m.metrics.precision, 2)}, recall ${fmt(m.metrics.recall, 2)}, F1 ${fmt(m.metrics.f1, 3)}`,
      ]),
    },
  ];
  for (const { model: m, evaluation } of f.models) {
    const unit = m.kind === 'rul' ? 'days' : 'probability';
    const id = fileId(`${m.pump}-${m.kind}-v${m.version}`);
    blocks.push(
      {
        kind: 'chart',
        id: `${id}-fit`,
        title: `Pump ${m.pump} ${m.kind} v${m.version}: predicted against actual`,
        spec: (w, p) => predictedVsActualChart(evaluation, unit, p, w),
        half: true,
      },
      {
        kind: 'chart',
        id: `${id}-importance`,
        title: `Pump ${m.pump} ${m.kind} v${m.version}: feature importance`,
        spec: (w, p) => importanceChart(evaluation, p, w, 10),
        half: true,
      },
    );
  }
  return { id: 'models', title: 'Models', blocks };
}

const SECTIONS: Record<ReportSectionId, (f: Findings) => ReportSection> = {
  summary,
  station: stationSection,
  alerts: alertsSection,
  pumps: pumpsSection,
  models: modelsSection,
};

export function composeReport(f: Findings, sections: readonly ReportSectionId[], generatedAt: Date): ReportModel {
  const g = f.figures;
  const coverage = g.expectedMinutes > 0 ? (g.minutes / g.expectedMinutes) * 100 : 0;
  return {
    title: 'Station report',
    station: f.station.name,
    period: f.period,
    generatedAt: `${generatedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    quality: [
      `Data: ${g.first ?? '—'} .. ${g.last ?? '—'} (${fmt(g.days)} days)`,
      `Minutes logged: ${fmt(g.minutes)} of ${fmt(g.expectedMinutes)} (${fmt(coverage, 2)} %), ${fmt(g.gaps)} gaps`,
      `Pumps with a baseline: ${f.pumps.map((p) => p.pump).join(', ') || 'none'}`,
    ],
    // The models section appears only when a model is in production.
    sections: sections.filter((id) => id !== 'models' || f.models.length > 0).map((id) => SECTIONS[id](f)),
  };
}
