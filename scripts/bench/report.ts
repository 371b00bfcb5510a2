// npm run bench:report [-- --days N]: a year of the demo station (minute data, six pumps with
// baselines and hourly operational data), then the station report as PDF and as Markdown, timed
// and with peak RSS, next to a reference made the common way: the same report's Markdown turned
// into HTML and printed to PDF by headless Chromium (skipped when /usr/bin/chromium is missing).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { marked } from 'marked';
import { createDemoProject, openProject } from '../../src-main/project';
import { buildReport, reportModel } from '../../src-main/report/build';
import { renderMarkdown } from '../../src-main/report/markdown';

if (process.argv[2] === 'prepare') {
  // In a child process, so the report's peak RSS below is the report's own.
  const project = await createDemoProject({ dir: process.argv[3], days: Number(process.argv[4]), seed: 2 });
  project.db.close();
  process.exit(0);
}

const days = Number(process.argv[process.argv.indexOf('--days') + 1]) || 365;
const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'pumpdeck-bench-report-'));
const projectDir = join(dir, `report-${days}`);
if (!existsSync(join(projectDir, 'station.duckdb'))) {
  console.log(`building a demo station of ${days} days ...`);
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'prepare', projectDir, String(days)], {
    stdio: 'inherit',
  });
  if (child.status !== 0) throw new Error('building the demo station failed');
}
const project = await openProject(join(projectDir, 'station.duckdb'));

const line = (name: string, seconds: number, bytes: number, extra: string) =>
  `${name.padEnd(40)} ${seconds.toFixed(2).padStart(6)} s  ${(bytes / 1e6).toFixed(2).padStart(6)} MB  ${extra}`;
const rss = () => `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;

const pdf = await buildReport(project.db, join(dir, 'out', 'report.pdf'), { format: 'pdf' });
console.log(`\nreport of ${pdf.period.from} .. ${pdf.period.to}`);
console.log(line('PumpDeck PDF (pdfkit, vector charts)', pdf.seconds, pdf.bytes, `${pdf.pages} pages, ${rss()}`));
const md = await buildReport(project.db, join(dir, 'out', 'md', 'report.md'), { format: 'md' });
const mdBytes = md.files.reduce((s, f) => s + statSync(f).size, 0);
console.log(line('PumpDeck Markdown (+ PNG charts)', md.seconds, mdBytes, `${md.pages} charts, ${rss()}`));

const browser = '/usr/bin/chromium';
if (existsSync(browser)) {
  const t0 = performance.now();
  const model = await reportModel(project.db, {});
  const rendered = renderMarkdown(model, 'charts');
  let text = rendered.text;
  for (const [path, png] of rendered.images)
    text = text.replace(`](${encodeURI(path)})`, `](data:image/png;base64,${png.toString('base64')})`);
  const html = `<!doctype html><meta charset="utf-8"><style>body{font-family:'DejaVu Sans',sans-serif;font-size:10px}img{max-width:100%}table{border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:2px 6px}</style>${await marked.parse(text)}`;
  const chrome = await chromium.launch({
    executablePath: browser,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await chrome.newPage();
  await page.setContent(html, { waitUntil: 'load' });
  const out = join(dir, 'out', 'reference.pdf');
  await page.pdf({
    path: out,
    format: 'A4',
    printBackground: true,
    margin: { top: '20mm', bottom: '20mm', left: '18mm', right: '18mm' },
  });
  await chrome.close();
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    line('reference: Markdown → HTML → Chromium', seconds, statSync(out).size, 'raster charts, no page header/footer'),
  );
  console.log(`PumpDeck PDF against the reference: ${(seconds / pdf.seconds).toFixed(2)}x`);
} else console.log('reference skipped: /usr/bin/chromium is not installed');

project.db.close();
if (!process.env.BENCH_DIR) rmSync(dir, { recursive: true, force: true });
