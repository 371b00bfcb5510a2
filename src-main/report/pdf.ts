import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { PRINT_PALETTE } from '../../src-shared/charts/palette';
import type { Block, ChartBlock, ReportModel, TableColumn } from './model';
import { chartSvg, FONTS } from './svg';

// The PDF rendering: A4, vector charts (the console's Plot specs as SVG, drawn by svg-to-pdfkit),
// a header and "page i of n" on every page, tables that carry their header over page breaks.

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 64, bottom: 56, left: 50, right: 50 };
const CONTENT = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const GAP = 12;
const INK = PRINT_PALETTE.text;
const MUTED = PRINT_PALETTE.muted;
const RULE = '#d7dde3';
const SHADE = '#eef1f4';

type Doc = PDFKit.PDFDocument;

class PdfWriter {
  constructor(
    readonly doc: Doc,
    private readonly onChart: () => void,
  ) {}

  get y(): number {
    return this.doc.y;
  }

  /** Starts a new page when `height` does not fit on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > BOTTOM) this.doc.addPage();
  }

  text(
    text: string,
    options: { size?: number; bold?: boolean; color?: string; gapAfter?: number; width?: number; x?: number } = {},
  ): void {
    const { size = 9.5, bold = false, color = INK, gapAfter = 4, width = CONTENT, x = MARGIN.left } = options;
    this.doc
      .font(bold ? 'bold' : 'regular')
      .fontSize(size)
      .fillColor(color);
    this.ensure(this.doc.heightOfString(text, { width }));
    this.doc.text(text, x, this.doc.y, { width });
    this.doc.y += gapAfter;
  }

  heading(text: string, size = 12, keepWith = size * 4): void {
    this.ensure(keepWith); // keep a heading with what follows it
    this.doc.y += 4;
    this.text(text, { size, bold: true, gapAfter: 6 });
  }

  list(items: string[]): void {
    for (const item of items) {
      this.doc.font('regular').fontSize(9.5);
      const height = this.doc.heightOfString(item, { width: CONTENT - 12 });
      this.ensure(height);
      const y = this.doc.y;
      this.doc.fillColor(INK).text('•', MARGIN.left, y);
      this.doc.text(item, MARGIN.left + 12, y, { width: CONTENT - 12 });
      this.doc.y += 3;
    }
    this.doc.y += 4;
  }

  /** Column widths from the content, shrunk to the page; cells wrap when shrunk. */
  private columnWidths(columns: TableColumn[], rows: string[][], size: number): number[] {
    this.doc.font('regular').fontSize(size);
    const natural = columns.map(
      (c, i) =>
        Math.max(
          this.doc.font('bold').widthOfString(c.name),
          ...rows.map((r) => this.doc.font('regular').widthOfString(r[i] ?? '')),
        ) + 8,
    );
    const total = natural.reduce((a, b) => a + b, 0);
    if (total <= CONTENT) return natural.map((w) => w + (CONTENT - total) / natural.length);
    // Shrink the widest columns first, so short ones (numbers) keep one line.
    const fair = CONTENT / columns.length;
    const small = natural.filter((w) => w <= fair).reduce((a, b) => a + b, 0);
    const wide = natural.filter((w) => w > fair).reduce((a, b) => a + b, 0);
    return natural.map((w) => (w <= fair ? w : (w / wide) * (CONTENT - small)));
  }

  table(columns: TableColumn[], rows: string[][], title?: string, size = 8): void {
    if (title) this.heading(title, 10);
    const widths = this.columnWidths(columns, rows, size);
    const rowHeight = (cells: string[], bold: boolean) => {
      this.doc.font(bold ? 'bold' : 'regular').fontSize(size);
      return Math.max(...cells.map((c, i) => this.doc.heightOfString(c, { width: widths[i] - 8 }))) + 6;
    };
    const drawRow = (cells: string[], bold: boolean, fill: string | null) => {
      const height = rowHeight(cells, bold);
      const y = this.doc.y;
      if (fill) this.doc.rect(MARGIN.left, y, CONTENT, height).fill(fill);
      let x = MARGIN.left;
      this.doc
        .font(bold ? 'bold' : 'regular')
        .fontSize(size)
        .fillColor(bold ? MUTED : INK);
      cells.forEach((cell, i) => {
        this.doc.text(cell, x + 4, y + 3, {
          width: widths[i] - 8,
          align: columns[i].align === 'right' ? 'right' : 'left',
        });
        x += widths[i];
      });
      this.doc
        .moveTo(MARGIN.left, y + height)
        .lineTo(MARGIN.left + CONTENT, y + height)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      this.doc.y = y + height;
    };
    const header = columns.map((c) => c.name);
    this.ensure(rowHeight(header, true) + (rows[0] ? rowHeight(rows[0], false) : 0));
    drawRow(header, true, SHADE);
    rows.forEach((row, i) => {
      if (this.doc.y + rowHeight(row, false) > BOTTOM) {
        this.doc.addPage();
        drawRow(header, true, SHADE); // the header again on the new page
      }
      drawRow(row, false, i % 2 ? '#f8f9fa' : null);
    });
    this.doc.y += 10;
  }

  /** One chart, or two side by side. */
  charts(blocks: ChartBlock[]): void {
    const width = blocks.length === 1 ? CONTENT : (CONTENT - GAP) / 2;
    const pixels = blocks.length === 1 ? 760 : 460;
    const rendered = blocks.map((b) => chartSvg(b, pixels, PRINT_PALETTE));
    const scale = width / pixels;
    const titleHeight = 14;
    const captionHeight = blocks.some((b) => b.caption) ? 14 : 0;
    const height = Math.max(...rendered.map((r) => r.height * scale)) + titleHeight + captionHeight;
    this.ensure(height + 6);
    const top = this.doc.y;
    blocks.forEach((b, i) => {
      const x = MARGIN.left + i * (width + GAP);
      this.doc
        .font('bold')
        .fontSize(8.5)
        .fillColor(INK)
        .text(b.title, x, top, { width, lineBreak: false, ellipsis: true });
      SVGtoPDF(this.doc, rendered[i].svg, x, top + titleHeight, {
        width,
        height: rendered[i].height * scale,
        preserveAspectRatio: 'xMinYMin meet',
        assumePt: true,
        fontCallback: () => 'regular',
      });
      if (b.caption)
        this.doc
          .font('regular')
          .fontSize(7.5)
          .fillColor(MUTED)
          .text(b.caption, x, top + titleHeight + rendered[i].height * scale + 2, { width });
      this.onChart();
    });
    this.doc.y = top + height + 8;
  }

  blocks(blocks: Block[]): void {
    for (let i = 0; i < blocks.length; i += 1) {
      const b = blocks[i];
      if (b.kind === 'chart') {
        const next = blocks[i + 1];
        if (b.half && next?.kind === 'chart' && next.half) {
          this.charts([b, next]);
          i += 1;
        } else this.charts([b]);
      } else if (b.kind === 'heading') this.heading(b.text, 11, b.keepWith);
      else if (b.kind === 'paragraph') this.text(b.text, { gapAfter: 8 });
      else if (b.kind === 'list') this.list(b.items);
      else if (b.kind === 'table') this.table(b.columns, b.rows, b.title);
      else if (b.kind === 'kpis') {
        this.table(
          [{ name: 'KPI' }, { name: 'Value' }, { name: 'Target' }, { name: 'Met' }],
          b.items.map((k) => [k.name, k.value, k.target ?? '', k.ok === null ? '' : k.ok ? 'yes' : 'no']),
          'Key figures',
          8.5,
        );
      }
    }
  }
}

function titlePage(w: PdfWriter, model: ReportModel): void {
  const { doc } = w;
  doc.y = 110;
  w.text(model.title, { size: 26, bold: true, gapAfter: 6 });
  w.text(model.station, { size: 15, gapAfter: 18 });
  w.text(`Period: ${model.period.from} .. ${model.period.to}`, { size: 11, gapAfter: 2 });
  w.text(`Generated: ${model.generatedAt} by PumpDeck`, { size: 11, color: MUTED, gapAfter: 16 });
  w.heading('Data range and quality', 11);
  w.list(model.quality);
}

/** Page headers (not on the title page) and "Page i of n" footers, once all pages exist. */
function decorate(doc: Doc, model: ReportModel): number {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not start a new page
    doc.font('regular').fontSize(7.5).fillColor(MUTED);
    if (i > range.start) {
      doc.text(`${model.station} · ${model.title} ${model.period.from} .. ${model.period.to}`, MARGIN.left, 30, {
        width: CONTENT,
        lineBreak: false,
      });
      doc
        .moveTo(MARGIN.left, 44)
        .lineTo(MARGIN.left + CONTENT, 44)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
    }
    doc.text(`Page ${i + 1} of ${range.count}`, MARGIN.left, PAGE.height - 34, {
      width: CONTENT,
      align: 'right',
      lineBreak: false,
    });
    doc.text(`PumpDeck · ${model.generatedAt}`, MARGIN.left, PAGE.height - 34, { width: CONTENT, lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  return range.count;
}

/** Writes the PDF to `path`; returns the page count. */
export async function renderPdf(model: ReportModel, path: string, onChart: () => void = () => {}): Promise<number> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    info: {
      Title: `${model.title}: ${model.station} ${model.period.from} .. ${model.period.to}`,
      Author: 'PumpDeck',
      Creator: 'PumpDeck',
    },
  });
  const out = createWriteStream(path);
  doc.pipe(out);
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  try {
    const w = new PdfWriter(doc, onChart);
    titlePage(w, model);
    model.sections.forEach((section, i) => {
      if (i > 0 || section.id !== 'summary') doc.addPage();
      w.heading(section.title, 16);
      w.blocks(section.blocks);
    });
    const pages = decorate(doc, model);
    doc.end();
    await once(out, 'finish');
    return pages;
  } catch (error) {
    // The file is opened asynchronously: wait until the stream has closed it, or the caller's
    // clean-up could run before the file exists (and leave it behind).
    if (!out.closed) {
      const closed = once(out, 'close').catch(() => {});
      out.destroy();
      await closed;
    }
    throw error;
  }
}
