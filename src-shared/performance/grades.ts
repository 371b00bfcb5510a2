// ANSI/HI 14.6 acceptance grades (product.md, seed 000 ToleranceChecker) as data: for each grade
// and parameter, the band of allowed deviation from the baseline in % (null = no limit on that
// side). Flow and head are mandatory, power and efficiency optional.

export const PARAMETERS = ['flow', 'head', 'power', 'efficiency'] as const;
export type Parameter = (typeof PARAMETERS)[number];

export const GRADE_NAMES = ['1B', '1E', '1U', '2B', '2U', '3B'] as const;
export type Grade = (typeof GRADE_NAMES)[number];

export interface Band {
  /** Lowest allowed deviation in %, or null when any value below the baseline passes. */
  lower: number | null;
  /** Highest allowed deviation in %, or null when any value above the baseline passes. */
  upper: number | null;
}

export const MANDATORY: Record<Parameter, boolean> = { flow: true, head: true, power: false, efficiency: false };

const band = (lower: number | null, upper: number | null): Band => ({ lower, upper });

/**
 * "U" grades are unilateral: the lower limit is 0, so a value below the baseline is outside
 * (seed 000 checked only the upper side and missed a degrading pump). Power fails above its
 * band, efficiency below.
 */
export const GRADES: Record<Grade, Record<Parameter, Band>> = {
  '1B': { flow: band(-5, 5), head: band(-3, 3), power: band(null, 4), efficiency: band(-3, null) },
  '1E': { flow: band(-5, 5), head: band(-3, 3), power: band(null, 4), efficiency: band(0, null) },
  '1U': { flow: band(0, 10), head: band(0, 6), power: band(null, 10), efficiency: band(0, null) },
  '2B': { flow: band(-8, 8), head: band(-5, 5), power: band(null, 8), efficiency: band(-5, null) },
  '2U': { flow: band(0, 16), head: band(0, 10), power: band(null, 16), efficiency: band(-5, null) },
  '3B': { flow: band(-9, 9), head: band(-7, 7), power: band(null, 9), efficiency: band(-7, null) },
};

export function isGrade(value: string): value is Grade {
  return (GRADE_NAMES as readonly string[]).includes(value);
}

/**
 * Seed 000's choice of grade from the pump's application and horsepower: API 1B, cooling tower
 * 1E, municipal water and wastewater 1U, general industry 2B above 134 hp and 2U below,
 * dewatering 3B. Unknown applications get 2B, the middle grade, and say so.
 */
export function gradeForApplication(application: string, horsepower: number): { grade: Grade; matched: boolean } {
  const a = application.toLowerCase();
  if (/\bapi\b/.test(a)) return { grade: '1B', matched: true };
  if (/cooling/.test(a)) return { grade: '1E', matched: true };
  if (/municipal|wastewater|water supply/.test(a)) return { grade: '1U', matched: true };
  if (/dewater/.test(a)) return { grade: '3B', matched: true };
  if (/industr/.test(a)) return { grade: horsepower > 134 ? '2B' : '2U', matched: true };
  return { grade: '2B', matched: false };
}

/** One line for people: "−5 to +5 %", "0 to +10 %", "≤ +4 %", "≥ −3 %". */
export function describeBand({ lower, upper }: Band): string {
  const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');
  if (lower !== null && upper !== null) return `${signed(lower)} to ${signed(upper)} %`;
  if (upper !== null) return `≤ ${signed(upper)} %`;
  if (lower !== null) return `≥ ${signed(lower)} %`;
  return 'any';
}

/** How much of its band a deviation uses on its side: 0 at the baseline, 1 at the band's edge, over 1 outside. */
export function bandUse(deviation: number | null, band: Band): number | null {
  if (deviation === null) return null;
  const limit = deviation < 0 ? band.lower : band.upper;
  if (limit === null) return 0; // that side is open: any value passes
  // An edge at the baseline itself (0 to +6 %): any deviation on that side is outside, ranked by size.
  return limit === 0 ? (deviation === 0 ? 0 : 1 + Math.abs(deviation)) : deviation / limit;
}
