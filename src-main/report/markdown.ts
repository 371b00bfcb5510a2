import { PRINT_PALETTE } from '../../src-shared/charts/palette';
import type { Block, ReportModel } from './model';
import { chartPng, chartSvg } from './svg';

// The Markdown rendering: GitHub-flavoured Markdown with each chart as a PNG beside it.

const CHART_WIDTH = 900;
const escapeCell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function table(columns: Array<{ name: string; align?: string }>, rows: string[][]): string {
  return [
    `| ${columns.map((c) => escapeCell(c.name)).join(' | ')} |`,
    `| ${columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

export interface MarkdownReport {
  text: string;
  /** PNG files by their path relative to the Markdown file. */
  images: Map<string, Buffer>;
}

/**
 * Renders the report; `imageDir` is the folder (relative to the Markdown file) the PNGs go to.
 * `onChart` is called after each chart (for progress and cancel).
 */
export function renderMarkdown(model: ReportModel, imageDir: string, onChart: () => void = () => {}): MarkdownReport {
  const images = new Map<string, Buffer>();
  const out: string[] = [
    `# ${model.title}: ${model.station}`,
    '',
    `**Period:** ${model.period.from} .. ${model.period.to}  `,
    `**Generated:** ${model.generatedAt} by PumpDeck`,
    '',
    ...model.quality.map((q) => `- ${q}`),
    '',
  ];
  const block = (b: Block) => {
    switch (b.kind) {
      case 'heading':
        return `### ${b.text}`;
      case 'paragraph':
        return b.text;
      case 'list':
        return b.items.map((i) => `- ${i}`).join('\n');
      case 'kpis':
        return table(
          [{ name: 'KPI' }, { name: 'Value' }, { name: 'Target' }, { name: 'Met' }],
          b.items.map((k) => [k.name, k.value, k.target ?? '', k.ok === null ? '' : k.ok ? 'yes' : 'no']),
        );
      case 'table':
        return `${b.title ? `**${b.title}**\n\n` : ''}${table(b.columns, b.rows)}`;
      case 'chart': {
        const path = `${imageDir}/${b.id}.png`;
        images.set(path, chartPng(chartSvg(b, CHART_WIDTH, PRINT_PALETTE)));
        onChart();
        return `![${b.title}](${encodeURI(path)})${b.caption ? `\n\n*${b.caption}*` : ''}`;
      }
    }
  };
  for (const section of model.sections) {
    out.push(`## ${section.title}`, '');
    for (const b of section.blocks) out.push(block(b), '');
  }
  return { text: out.join('\n'), images };
}
