import { createRequire } from 'node:module';
import * as Plot from '@observablehq/plot';
import { Resvg } from '@resvg/resvg-js';
import { parseHTML } from 'linkedom';
import type { ChartPalette } from '../../src-shared/charts/palette';
import type { ChartBlock } from './model';

// Observable Plot on the Node side: the console's chart specs drawn into a linkedom document and
// serialised as standalone SVG, for PDF (vector) and PNG (resvg).

const require = createRequire(import.meta.url);

// In the packaged app the fonts are unpacked beside the asar archive (resvg reads them natively).
const unpacked = (path: string) => path.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');

/** DejaVu Sans from the dejavu-fonts-ttf package: every glyph the reports use (m³, −, ≥, ↑). */
export const FONTS = {
  regular: unpacked(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
  bold: unpacked(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
};

export interface RenderedChart {
  svg: string;
  width: number;
  height: number;
}

export function chartSvg(chart: ChartBlock, width: number, palette: ChartPalette): RenderedChart {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const options = chart.spec(width, palette);
  const node = Plot.plot({ ...options, document, style: { background: 'white', color: palette.text } }) as unknown as {
    outerHTML: string;
    tagName: string;
  };
  if (node.tagName.toLowerCase() !== 'svg')
    throw new Error(`chart ${chart.id} has a legend or caption: report charts must be a single SVG`);
  const svg = node.outerHTML
    .replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ')
    .replace(/font-family="[^"]*"/, 'font-family="DejaVu Sans"');
  const height = Number(/height="([\d.]+)"/.exec(svg)?.[1] ?? options.height ?? 200);
  return { svg, width, height };
}

export function chartPng(chart: RenderedChart, scale = 2): Buffer {
  const resvg = new Resvg(chart.svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { fontFiles: [FONTS.regular, FONTS.bold], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
