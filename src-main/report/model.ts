import type * as Plot from '@observablehq/plot';
import type { ChartPalette } from '../../src-shared/charts/palette';

// One report model, rendered as Markdown (charts as PNG beside it) or PDF (vector charts).

export const REPORT_SECTIONS = ['summary', 'station', 'alerts', 'pumps', 'models'] as const;
export type ReportSectionId = (typeof REPORT_SECTIONS)[number];

export interface Kpi {
  name: string;
  value: string;
  /** The target the seed gives (seed 002 §14), if any. */
  target?: string;
  /** Whether the value meets the target; null when it has none. */
  ok: boolean | null;
}

export interface TableColumn {
  name: string;
  align?: 'left' | 'right';
}

export interface ChartBlock {
  kind: 'chart';
  /** File-safe id: the PNG's name in the Markdown rendering. */
  id: string;
  title: string;
  caption?: string;
  /** The same spec function the console draws with. */
  spec: (width: number, palette: ChartPalette) => Plot.PlotOptions;
  /** Two half-width charts sit side by side in the PDF. */
  half?: boolean;
}

export type Block =
  /** `keepWith`: points of what follows that must fit on the heading's page (PDF). */
  | { kind: 'heading'; text: string; keepWith?: number }
  | { kind: 'paragraph'; text: string }
  | { kind: 'kpis'; items: Kpi[] }
  | { kind: 'table'; title?: string; columns: TableColumn[]; rows: string[][] }
  | { kind: 'list'; items: string[] }
  | ChartBlock;

export interface ReportSection {
  id: ReportSectionId;
  title: string;
  blocks: Block[];
}

export interface ReportModel {
  title: string;
  station: string;
  period: { from: string; to: string };
  generatedAt: string;
  /** Lines for the title page: data range, coverage, gaps. */
  quality: string[];
  sections: ReportSection[];
}

export function charts(model: ReportModel): ChartBlock[] {
  return model.sections.flatMap((s) => s.blocks.filter((b): b is ChartBlock => b.kind === 'chart'));
}
