import { describeBand } from '../../src-shared/performance/grades';
import { statusRank } from '../../src-shared/performance/tolerance';
import type { Findings } from './findings';

// Plain recommendations from the findings, most urgent first. Each one names the figure that
// triggered it, so the reader can check it; nothing here is canned text without a finding.

const pct = (v: number | null, d = 1) => (v === null ? '—' : `${v.toFixed(d)} %`);
const fixed = (v: number | null, d = 3) => (v === null ? '—' : v.toFixed(d));

export interface Recommendation {
  /** 0 = act now, 1 = plan, 2 = review. */
  priority: 0 | 1 | 2;
  text: string;
}

// Long because one rule of thumb after another, each a short if with its sentence; split, the list would be harder to review.
export function recommendations(f: Findings, horizonDays = 30): Recommendation[] {
  const out: Recommendation[] = [];
  const end = Date.parse(`${f.period.to}T00:00:00Z`);

  for (const p of [...f.pumps].sort((a, b) => statusRank(b.status ?? 'Normal') - statusRank(a.status ?? 'Normal'))) {
    const outside = p.parameters.filter((x) => x.state === 'below' || x.state === 'above');
    if (p.status && p.status !== 'Normal' && outside.length) {
      const what = outside
        .map(
          (x) =>
            `${x.parameter} ${(x.deviation ?? 0) > 0 ? '+' : ''}${pct(x.deviation)} (band ${describeBand(x.band)})`,
        )
        .join(', ');
      out.push({
        priority: p.status === 'Warning' ? 1 : 0,
        text: `Inspect pump ${p.pump}: ${p.status} against its ${p.grade} baseline, ${what}${p.outOfBandSince ? `, out of band since ${p.outOfBandSince}` : ''}.`,
      });
    }
    for (const x of p.parameters) {
      // Only a trend whose 95 % interval excludes zero, over at least a week of days.
      if (
        !x.crossing ||
        x.crossing.days <= 0 ||
        !x.trend ||
        x.trend.days < 7 ||
        Math.sign(x.trend.perWeekLow) !== Math.sign(x.trend.perWeekHigh)
      )
        continue;
      const days = (Date.parse(`${x.crossing.date}T00:00:00Z`) - end) / 86_400_000;
      if (days <= horizonDays) {
        out.push({
          priority: 1,
          text: `Schedule maintenance on pump ${p.pump} before ${x.crossing.date}: its ${x.parameter} moves ${x.trend.perWeek.toFixed(2)} points/week (95 %: ${x.trend.perWeekLow.toFixed(2)} to ${x.trend.perWeekHigh.toFixed(2)}) and leaves the ${p.grade} band then.`,
        });
      }
    }
  }

  // Seed 000 reports a failure prediction when RUL < 7 days with confidence > 0.7.
  for (const p of f.predictions) {
    if ((p.rulDays !== null && p.rulDays < 7) || (p.risk !== null && p.risk > 0.7)) {
      out.push({
        priority: 0,
        text: `Pump ${p.pump} is predicted to fail soon: ${p.rulDays !== null ? `remaining useful life ${p.rulDays.toFixed(1)} days` : ''}${p.rulDays !== null && p.risk !== null ? ', ' : ''}${p.risk !== null ? `${(p.risk * 100).toFixed(0)} % risk within ${p.horizonDays} days` : ''} (production models, as of ${p.asOf}).`,
      });
    } else if (p.rulDays !== null && p.rulDays < horizonDays) {
      out.push({
        priority: 1,
        text: `Plan the overhaul of pump ${p.pump}: its remaining useful life is ${p.rulDays.toFixed(0)} days (production model v${p.rulVersion}).`,
      });
    }
  }

  // Worse by over 10 % and still worsening (the trend's 95 % interval above 0): the estimate's own
  // scatter from week to week is a few percent, so a smaller or flat difference is no finding.
  for (const s of f.stationPumps) {
    if (s.changePct !== null && s.changePct > 10 && (s.trendPerWeekLow ?? 0) > 0 && s.referencePeriod) {
      out.push({
        priority: 1,
        text: `Pump ${s.pump} uses ${pct(s.changePct)} more energy per m³ than in its best week (${s.referencePeriod.from} .. ${s.referencePeriod.to}), compared at the same level and speed (${fixed(s.reference)} → ${fixed(s.current)} kWh/m³): check impeller wear, clogging or valve settings.`,
      });
    }
  }

  const open = f.alerts.filter((a) => a.severity === 'CRITICAL' && a.resolved === 0);
  if (open.length) {
    out.push({
      priority: 0,
      text: `${open.length} CRITICAL alert${open.length > 1 ? 's are' : ' is'} still active at the end of the period (${[...new Set(open.map((a) => a.rule))].join(', ')}): assign an owner and clear the cause.`,
    });
  }

  const a = f.alarms;
  if (a.perTenMinutes > 1)
    out.push({
      priority: 2,
      text: `Alert load is ${a.perTenMinutes.toFixed(2)} per 10 minutes, above the EEMUA 191 guide of 1: rationalise the noisiest rules (${a.top10
        .slice(0, 3)
        .map((t) => t.rule)
        .join(', ')}).`,
    });
  if (a.floodPercent > 1)
    out.push({
      priority: 2,
      text: `${pct(a.floodPercent, 2)} of 10-minute periods are alert floods (over 10 alerts), above the 1 % guide: review cascades and suppression.`,
    });
  if (a.chattering > 0)
    out.push({
      priority: 2,
      text: `${a.chattering} chattering alert episode${a.chattering > 1 ? 's' : ''}: add deadband or on-delay to the rules involved.`,
    });
  if (a.stale > 0)
    out.push({
      priority: 1,
      text: `${a.stale} alert${a.stale > 1 ? 's have' : ' has'} been active over 24 h: give each an owner or take the rule out of service with a reason.`,
    });

  const fig = f.figures;
  if (fig.tankStability !== null && fig.band && fig.tankStability < 95) {
    out.push({
      priority: 2,
      text: `The level was within its operating band (${fig.band.map((b) => b.toFixed(0)).join('–')} % of its range) for ${pct(fig.tankStability)} of the time (target > 95 %): review level setpoints and pump staging.`,
    });
  }
  if (fig.daysOverBudget > 0) {
    out.push({
      priority: 2,
      text: `Energy exceeded the daily budget of ${fig.budgetKwh.toFixed(0)} kWh on ${fig.daysOverBudget} of ${fig.days} days: check demand and pump selection on those days.`,
    });
  }
  if (
    fig.energyPerM3TrendPct !== null &&
    fig.energyPerM3TrendLowPct !== null &&
    fig.energyPerM3TrendLowPct > 0 &&
    fig.energyPerM3TrendPct > 1
  ) {
    out.push({
      priority: 1,
      text: `Energy per m³ rises ${pct(fig.energyPerM3TrendPct, 2)} per week over the period: look for a wearing pump or a changed system curve.`,
    });
  }
  if (fig.peakShare !== null && fig.peakShare > 0.4) {
    out.push({
      priority: 2,
      text: `${pct(fig.peakShare * 100)} of energy is drawn in peak tariff hours: fill the tank off-peak (lower the peak-hour start level).`,
    });
  }
  for (const s of fig.maxStartsPerDay.filter((x) => x.starts > 12)) {
    out.push({
      priority: 2,
      text: `Pump ${s.pump} started up to ${s.starts} times a day: widen the level hysteresis or lengthen the minimum run to spare its contactor.`,
    });
  }
  for (const h of fig.health.filter((x) => x.latest !== null && x.latest < 70)) {
    out.push({
      priority: 1,
      text: `Pump ${h.pump} ends the period with a health score of ${(h.latest ?? 0).toFixed(0)} (target > 70): see its efficiency slope, short cycles and overruns.`,
    });
  }
  if (fig.expectedMinutes > 0 && fig.minutes / fig.expectedMinutes < 0.99) {
    out.push({
      priority: 2,
      text: `The historian logged ${pct((fig.minutes / fig.expectedMinutes) * 100)} of the period's minutes (${fig.gaps} gaps): check the data logger and its network.`,
    });
  }
  return out.sort((x, y) => x.priority - y.priority);
}
