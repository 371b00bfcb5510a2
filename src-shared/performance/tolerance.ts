import { type Band, GRADES, type Grade, MANDATORY, PARAMETERS, type Parameter } from './grades';

// Seed 000 ToleranceChecker: is a deviation outside its HI 14.6 band, how severe is it, and what
// status does the pump get.

export const STATUSES = ['Normal', 'Warning', 'Critical', 'Failure'] as const;
export type PumpStatus = (typeof STATUSES)[number];

export const statusRank = (status: PumpStatus): number => STATUSES.indexOf(status);
export const worstStatus = (statuses: PumpStatus[]): PumpStatus =>
  statuses.reduce((a, b) => (statusRank(b) > statusRank(a) ? b : a), 'Normal');

export type Deviations = Partial<Record<Parameter, number | null>>;

export interface ParameterCheck {
  parameter: Parameter;
  deviation: number;
  exceeded: boolean;
  /** Which limit is crossed. */
  side: 'below' | 'above' | null;
  /** |deviation| / tolerance of the crossed side (0 when inside the band). */
  severity: number;
  mandatory: boolean;
}

/**
 * The tolerance a severity is measured against on one side of a band. A zero limit (the lower
 * side of a "U" grade) is measured against the other side's limit; efficiency "≥ 0" has no other
 * side and is measured against 1 percentage point.
 */
export function severityScale(b: Band, side: 'below' | 'above'): number {
  const own = side === 'below' ? b.lower : b.upper;
  const other = side === 'below' ? b.upper : b.lower;
  if (own !== null && own !== 0) return Math.abs(own);
  if (other !== null && other !== 0) return Math.abs(other);
  return 1;
}

/** Checks one deviation (in %) against its band; the limit itself is still inside. */
export function checkParameter(parameter: Parameter, deviation: number, b: Band): ParameterCheck {
  const side =
    b.lower !== null && deviation < b.lower ? 'below' : b.upper !== null && deviation > b.upper ? 'above' : null;
  return {
    parameter,
    deviation,
    exceeded: side !== null,
    side,
    severity: side ? Math.abs(deviation) / severityScale(b, side) : 0,
    mandatory: MANDATORY[parameter],
  };
}

export function checkTolerances(deviations: Deviations, grade: Grade): ParameterCheck[] {
  const bands = GRADES[grade];
  return PARAMETERS.flatMap((p) => {
    const d = deviations[p];
    return d === null || d === undefined || !Number.isFinite(d) ? [] : [checkParameter(p, d, bands[p])];
  });
}

/**
 * Seed 000 classify_status: a mandatory breach is Failure above severity 2.0, Critical above 1.5,
 * else Warning; an optional breach alone is Warning. Only mandatory severities escalate (an
 * efficiency dip with flow and head in band stays a Warning).
 */
export function classifyStatus(checks: ParameterCheck[]): PumpStatus {
  const mandatory = checks.filter((c) => c.exceeded && c.mandatory);
  if (mandatory.length > 0) {
    const severity = Math.max(...mandatory.map((c) => c.severity));
    return severity > 2.0 ? 'Failure' : severity > 1.5 ? 'Critical' : 'Warning';
  }
  return checks.some((c) => c.exceeded) ? 'Warning' : 'Normal';
}

export function statusOf(deviations: Deviations, grade: Grade): PumpStatus {
  return classifyStatus(checkTolerances(deviations, grade));
}
