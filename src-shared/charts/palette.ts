import type { PumpStatus } from '../performance/tolerance';

// Chart specs are shared by the console (colours from CSS variables, so themes apply) and the
// reports rendered on the Node side (fixed print colours): the spec takes the palette.

export interface ChartPalette {
  text: string;
  muted: string;
  accent: string;
  accent2: string;
  ok: string;
  warn: string;
  high: string;
  crit: string;
  info: string;
}

export const CSS_PALETTE: ChartPalette = {
  text: 'currentColor',
  muted: 'var(--muted)',
  accent: 'var(--accent)',
  accent2: 'var(--accent-2)',
  ok: 'var(--ok)',
  warn: 'var(--warn)',
  high: 'var(--high)',
  crit: 'var(--crit)',
  info: 'var(--info)',
};

/** The light theme's colours, for PNG and PDF. */
export const PRINT_PALETTE: ChartPalette = {
  text: '#17202a',
  muted: '#5b6875',
  accent: '#1565c0',
  accent2: '#00897b',
  ok: '#2e7d32',
  warn: '#b26a00',
  high: '#d84315',
  crit: '#b71c1c',
  info: '#1565c0',
};

export function statusColor(palette: ChartPalette, status: PumpStatus): string {
  return { Normal: palette.ok, Warning: palette.warn, Critical: palette.high, Failure: palette.crit }[status];
}

export function severityColor(palette: ChartPalette, severity: string): string {
  return (
    (
      { CRITICAL: palette.crit, HIGH: palette.high, WARNING: palette.warn, INFO: palette.info } as Record<
        string,
        string
      >
    )[severity] ?? palette.muted
  );
}
