import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { zipSync } from 'fflate';
import type { Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import type { StationDb } from '../db/stationDb';
import { composeReport } from './compose';
import { collectFindings, reportPeriod } from './findings';
import { renderMarkdown } from './markdown';
import { charts, REPORT_SECTIONS, type ReportModel, type ReportSectionId } from './model';
import { renderPdf } from './pdf';

// Builds a report file: findings from the database, the model, then one rendering. Output is
// written beside its final name and renamed into place, so a failure or a cancel leaves none.

export type ReportFormat = 'pdf' | 'md' | 'zip';

export interface ReportOptions {
  format: ReportFormat;
  from?: string;
  to?: string;
  pumps?: string[];
  sections?: ReportSectionId[];
  generatedAt?: Date;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export interface ReportResult {
  path: string;
  format: ReportFormat;
  bytes: number;
  /** PDF pages; for Markdown, the number of chart images written. */
  pages: number;
  files: string[];
  period: { from: string; to: string };
  seconds: number;
}

export async function reportModel(db: StationDb, options: Omit<ReportOptions, 'format'>): Promise<ReportModel> {
  const period = await reportPeriod(db, options);
  if (!period)
    throw new ApiError(
      'bad_input',
      `no readings${options.from || options.to ? ` between ${options.from ?? 'the start'} and ${options.to ?? 'the end'}` : ''}: import a historian export first`,
    );
  options.onProgress?.({ phase: 'collecting figures', fraction: null });
  const findings = await collectFindings(db, options, period, options.signal);
  if (options.signal?.aborted) throw new ApiError('cancelled', 'the report was cancelled');
  const sections = REPORT_SECTIONS.filter((s) => !options.sections || options.sections.includes(s));
  return composeReport(findings, sections, options.generatedAt ?? new Date());
}

export async function buildReport(db: StationDb, path: string, options: ReportOptions): Promise<ReportResult> {
  const started = performance.now();
  const model = await reportModel(db, options);
  const total = charts(model).length;
  let drawn = 0;
  const onChart = () => {
    if (options.signal?.aborted) throw new ApiError('cancelled', 'the report was cancelled');
    drawn += 1;
    options.onProgress?.({ phase: 'drawing charts', fraction: drawn / total, done: drawn, total, unit: 'charts' });
  };
  await mkdir(dirname(path), { recursive: true });
  const partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  const files: string[] = [path];
  const imageDir = `${basename(path, extname(path))}-charts`;
  let pages: number;
  try {
    if (options.format === 'pdf') {
      pages = await renderPdf(model, partial, onChart);
      await rename(partial, path);
    } else {
      const md = renderMarkdown(model, imageDir, onChart);
      pages = md.images.size;
      if (options.format === 'zip') {
        const entries: Record<string, Uint8Array> = {
          'report.md': Buffer.from(md.text.replaceAll(`](${encodeURI(imageDir)}/`, '](charts/')),
        };
        for (const [image, png] of md.images) entries[`charts/${image.slice(imageDir.length + 1)}`] = png;
        await writeFile(partial, zipSync(entries, { level: 6 }));
        await rename(partial, path);
      } else {
        // Images first, the Markdown last: a report file that exists has all its images.
        const dir = join(dirname(path), imageDir);
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir, { recursive: true });
        for (const [image, png] of md.images) {
          await writeFile(join(dirname(path), image), png);
          files.push(join(dirname(path), image));
        }
        await writeFile(partial, md.text);
        await rename(partial, path);
      }
    }
  } catch (error) {
    await rm(partial, { force: true });
    if (options.format === 'md') await rm(join(dirname(path), imageDir), { recursive: true, force: true });
    throw error;
  }
  const { size } = await stat(path);
  return {
    path,
    format: options.format,
    bytes: size,
    pages,
    files,
    period: model.period,
    seconds: (performance.now() - started) / 1000,
  };
}
