// The 27 PLC tags of seed 002 §3.2, in the default TagIndex order of product.md.
export const PUMPS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'] as const;
export type PumpId = (typeof PUMPS)[number];

/** Runtime counters use letters: P01A = pump 1 .. P01F = pump 6. */
const RUNTIME_LETTER: Record<PumpId, string> = { P1: 'A', P2: 'B', P3: 'C', P4: 'D', P5: 'E', P6: 'F' };

export const TAG = {
  dayTotal: '[PLC]FIT101_HR.DAY_TOTAL',
  flow: '[PLC]FIT101_HR.PER_HR',
  level: '[PLC]HLT101.OUTPUT',
  onOff: (pump: PumpId) => `[PLC]${pump}.ONOFF`,
  kw: (pump: PumpId) => `[PLC]${pump}KWH_HR.PER_HR`,
  runHours: (pump: PumpId) => `[PLC]P01${RUNTIME_LETTER[pump]}.RHR`,
  runMinutes: (pump: PumpId) => `[PLC]P01${RUNTIME_LETTER[pump]}.RMIN`,
} as const;

export const DEFAULT_TAGS: readonly string[] = [
  TAG.dayTotal,
  TAG.flow,
  TAG.level,
  ...PUMPS.map(TAG.onOff),
  ...PUMPS.map(TAG.kw),
  ...PUMPS.flatMap((p) => [TAG.runHours(p), TAG.runMinutes(p)]),
];

export function isPumpId(value: string): value is PumpId {
  return (PUMPS as readonly string[]).includes(value);
}
