import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFault } from '../src-main/demo/faults';
import { promoteModel, saveModel } from '../src-main/models/registry';
import { trainModel } from '../src-main/models/train';
import { editBaseline } from '../src-main/performance/baselineEdit';
import { createDemoProject, type Project } from '../src-main/project';
import { buildReport } from '../src-main/report/build';
import { fmt } from '../src-shared/format';
import { pumpdeck, tempDir } from './helpers';

// Reports from a real database: the PDF's text against SQL (pdftotext), every page drawn
// (pdftoppm), Markdown image links that resolve, and nothing left behind by a failure.

const dir = tempDir();
/** A file in a folder of the test's own (outputs are never written into a missing folder). */
const outPath = (folder: string, name: string) => {
  mkdirSync(join(dir, folder), { recursive: true });
  return join(dir, folder, name);
};
let project: Project;
let pdf: string;
let pdfText: string;
let pages: string[];

const sql = async <T extends Record<string, unknown>>(query: string) => (await project.db.one<T>(query))!;

beforeAll(async () => {
  // 45 days (the Days table runs over a page), every pump tripping for the last 20 minutes (an
  // open CRITICAL at the end), and P3's baseline flow raised 20 % (a pump in Failure).
  project = await createDemoProject({ dir, days: 45, seed: 6, faults: [parseFault('alltrip@45:23:40+20')] });
  const p3 = (await project.db.one<{ flow: number }>(
    `SELECT baseline_flow_gpm AS flow FROM pump_baselines WHERE well_id = 'P3'`,
  ))!;
  await editBaseline(project.db, { well_id: 'P3', baseline_flow_gpm: p3.flow * 1.2 });
  pdf = outPath('out', 'station.pdf');
  const result = await buildReport(project.db, pdf, { format: 'pdf', generatedAt: new Date('2026-01-02T03:04:00Z') });
  expect(result.pages).toBeGreaterThan(5);
  pdfText = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  pages = pdfText.split('\f').filter((p) => p.trim());
}, 180_000);
afterAll(() => project.db.close());

describe('PDF report', () => {
  it('has a title page with station, period, generation time and data quality', async () => {
    expect(pages[0]).toContain('Station report');
    expect(pages[0]).toContain('Demo booster station');
    expect(pages[0]).toContain('Period: 2025-03-01 .. 2025-04-14');
    expect(pages[0]).toContain('Generated: 2026-01-02 03:04 UTC');
    const minutes = await sql<{ n: number }>(`SELECT count(*) AS n FROM readings_wide`);
    expect(pages[0]).toContain(`Minutes logged: ${fmt(minutes.n)} of ${fmt(45 * 1440)}`);
  });

  it('states the KPIs as SQL computes them', async () => {
    const d = await sql<{ kwh: number; m3: number; starts: number }>(
      `SELECT sum(total_kwh) AS kwh, sum(total_flow) AS m3, avg(P1_starts + P2_starts + P3_starts + P4_starts + P5_starts + P6_starts) AS starts FROM daily_summary`,
    );
    const tank = await sql<{ stable: number }>(
      // The demo tank's operating band is seed 002's 15-90 %; each row weighs the minutes it stands for.
      `SELECT sum((hlt_pct BETWEEN 15 AND 90)::INTEGER * interval_min) / sum(interval_min) * 100 AS stable FROM readings_wide`,
    );
    const text = pdfText.replace(/\s+/g, ' ');
    expect(text).toContain(`Energy per m³ ${fmt(d.kwh / d.m3, 4)} kWh/m³`);
    expect(text).toContain(`${fmt(d.kwh, 0)} kWh for ${fmt(d.m3, 0)} m³`);
    expect(text).toContain(`Pump switching frequency ${fmt(d.starts, 1)} starts/day`);
    expect(text).toContain(`Level within its operating band ${fmt(tank.stable, 1)} %`);
  });

  it('recommends from the findings: the failing pump and the open critical alert', () => {
    const text = pdfText.replace(/\s+/g, ' ');
    expect(text).toMatch(/Act now: Inspect pump P3: Failure against its 2B baseline, flow −?-1\d\.\d %/);
    expect(text).toMatch(/Act now: \d+ CRITICAL alerts? (is|are) still active at the end of the period/);
  });

  it('lists every day, the Days table carrying its header onto the next page', async () => {
    const day = await sql<{ kwh: number }>(`SELECT total_kwh AS kwh FROM daily_summary WHERE date = '2025-04-14'`);
    expect(pdfText).toMatch(new RegExp(`2025-04-14\\s+${fmt(day.kwh, 1).replace('.', '\\.')}`));
    const withDays = pages.filter((p) => /Day\s+Energy kWh\s+Pumped m³/.test(p));
    expect(withDays.length).toBeGreaterThanOrEqual(2);
    const rowPage = (day: string) => pages.findIndex((p) => new RegExp(`${day}\\s+[\\d,]+\\.\\d`).test(p));
    expect(rowPage('2025-03-01')).toBeGreaterThan(0);
    expect(rowPage('2025-03-01')).toBeLessThan(rowPage('2025-04-14'));
  });

  it('numbers its pages and draws every one of them', () => {
    const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    expect(pages).toHaveLength(count);
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${count}`);
    });
    const out = join(dir, 'pages');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('pdftoppm', ['-png', '-r', '30', pdf, join(out, 'p')]);
    const pngs = readdirSync(out).filter((f) => f.endsWith('.png'));
    expect(pngs).toHaveLength(count);
    for (const png of pngs) expect(statSync(join(out, png)).size).toBeGreaterThan(1000);
  });

  it('draws charts as vectors (their axis labels are text) with the pump sections', () => {
    expect(pdfText).toContain('↑ HLT101 (cm)');
    expect(pdfText).toContain('↑ flow deviation %');
    expect(pdfText).toMatch(/Pump P3: Failure, grade 2B/);
  });
});

describe('Markdown report', () => {
  it('writes PNG charts beside it and every image link resolves', async () => {
    const md = outPath('md', 'station.md');
    const result = await buildReport(project.db, md, {
      format: 'md',
      to: '2025-03-20',
      sections: ['station', 'pumps'],
      pumps: ['P2'],
    });
    const text = readFileSync(md, 'utf8');
    const links = [...text.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => decodeURI(m[1]));
    expect(links.length).toBe(result.pages);
    expect(links).toContain('station-charts/P2-flow.png');
    expect(links.some((l) => l.startsWith('station-charts/P3'))).toBe(false);
    for (const link of links) {
      const png = readFileSync(resolve(dirname(md), link));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    }
    expect(text).toContain('**Period:** 2025-03-01 .. 2025-03-20');
    expect(text).not.toContain('## Alerts');
    // Every pump value with its unit: as recorded (gpm, psi, hp) and in the station's metric.
    const flow = text.split('\n').find((line) => line.startsWith('| flow |')) ?? '';
    expect(flow).toMatch(/^\| flow \| [\d,.]+ gpm \([\d,.]+ m³\/h\) \| [\d,.]+ gpm \([\d,.]+ m³\/h\) \|/);
    expect(text).toMatch(/\| efficiency \| [\d,.]+ % \| [\d,.]+ % \|/);
  });

  it('packs the same as a zip with report.md and charts/', async () => {
    const zip = outPath('zip', 'station.zip');
    await buildReport(project.db, zip, { format: 'zip', sections: ['summary', 'alerts'] });
    const files = unzipSync(readFileSync(zip));
    const text = Buffer.from(files['report.md']).toString('utf8');
    const links = [...text.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(links).toEqual(['charts/alerts-per-day.png']);
    expect(Object.keys(files)).toContain('charts/alerts-per-day.png');
  });
});

describe('models section', () => {
  it('appears once a model is in production, with its metrics, charts and the prediction now', async () => {
    const trained = await trainModel(project.db, { pump: 'P4', kind: 'rul', trees: 20 });
    const model = await saveModel(project.db, trained, new Date());
    await promoteModel(project.db, 'P4', 'rul', model.version, new Date());
    const md = outPath('models', 'r.md');
    await buildReport(project.db, md, { format: 'md', sections: ['summary', 'models'] });
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('## Models');
    expect(text).toMatch(new RegExp(`\\| P4 \\| rul v${model.version} \\|.*MAE ${fmt(model.metrics.mae, 2)} d`));
    expect(text).toContain(`r-charts/P4-rul-v${model.version}-fit.png`);
    expect(text).toMatch(/\| P4 \| [\d.]+ \| — \|/);
  });
});

describe('failures leave nothing behind', () => {
  it('a cancelled build writes no file', async () => {
    const controller = new AbortController();
    const path = outPath('cancel', 'r.pdf');
    const build = buildReport(project.db, path, {
      format: 'pdf',
      signal: controller.signal,
      onProgress: (p) => p.done === 3 && controller.abort(),
    });
    await expect(build).rejects.toMatchObject({ code: 'cancelled' });
    expect(readdirSync(dirname(path))).toEqual([]);
    const md = outPath('cancel-md', 'r.md');
    const controller2 = new AbortController();
    await expect(
      buildReport(project.db, md, {
        format: 'md',
        signal: controller2.signal,
        onProgress: (p) => p.done === 2 && controller2.abort(),
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(readdirSync(dirname(md))).toEqual([]);
  });

  it('a period without data is a clear error and writes nothing', async () => {
    const path = outPath('empty', 'r.pdf');
    await expect(
      buildReport(project.db, path, { format: 'pdf', from: '2024-01-01', to: '2024-01-31' }),
    ).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('no readings between 2024-01-01 and 2024-01-31'),
    });
    expect(existsSync(path)).toBe(false);
  });
});

describe('report CLI', () => {
  it('writes a PDF without a browser; usage errors exit 2', async () => {
    const out = join(dir, 'cli.pdf');
    const db = join(dir, 'cli.duckdb');
    await project.db.run('CHECKPOINT'); // the copy must hold everything written so far
    execFileSync('cp', [join(dir, 'station.duckdb'), db]);
    const ok = pumpdeck(
      'report',
      '--db',
      db,
      '--format',
      'pdf',
      '--out',
      out,
      '--pump',
      'P1',
      '--sections',
      'summary,pumps',
      '--json',
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ format: 'pdf', path: out });
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    expect(pumpdeck('report', '--db', db, '--format', 'docx', '--out', out).code).toBe(2);
    expect(pumpdeck('report', '--db', db, '--format', 'pdf', '--out', out, '--sections', 'weather').err).toContain(
      'invalid --sections: weather',
    );
    expect(spawnSync('pdftotext', [out, '-'], { encoding: 'utf8' }).stdout).toContain('Pump P1');
  });
});
