import { stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { zipSync } from 'fflate';
import type { Progress } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import type { StationDb } from '../db/stationDb';
import {
  checkOutput,
  checkOutputFolder,
  type OutputOptions,
  writeOutput,
  writeOutputFolder,
} from '../files/outputFile';
import { composeReport } from './compose';
import { collectFindings, reportPeriod } from './findings';
import { renderMarkdown } from './markdown';
import { charts, REPORT_SECTIONS, type ReportModel, type ReportSectionId } from './model';
import { renderPdf } from './pdf';

// Builds a report file: findings from the database, the model, then one rendering. Output goes
// through src-main/files/outputFile.ts: checked before any work (no file replaced unasked, never
// a database), written beside its final name and renamed into place, so a failure or a cancel
// leaves none.

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
  /** How the output may be written (replace an existing file; the project it must never touch). */
  output?: OutputOptions;
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
  const imageDir = `${basename(path, extname(path))}-charts`;
  // Refused before the work, not after it.
  await checkOutput(path, options.output);
  if (options.format === 'md') await checkOutputFolder(join(dirname(path), imageDir), options.output);
  const model = await reportModel(db, options);
  const total = charts(model).length;
  let drawn = 0;
  const onChart = () => {
    if (options.signal?.aborted) throw new ApiError('cancelled', 'the report was cancelled');
    drawn += 1;
    options.onProgress?.({ phase: 'drawing charts', fraction: drawn / total, done: drawn, total, unit: 'charts' });
  };
  const files: string[] = [path];
  let pages = 0;
  if (options.format === 'pdf') {
    await writeOutput(
      path,
      async (partial) => {
        pages = await renderPdf(model, partial, onChart);
      },
      options.output,
    );
  } else {
    const md = renderMarkdown(model, imageDir, onChart);
    pages = md.images.size;
    if (options.format === 'zip') {
      const entries: Record<string, Uint8Array> = {
        'report.md': Buffer.from(md.text.replaceAll(`](${encodeURI(imageDir)}/`, '](charts/')),
      };
      for (const [image, png] of md.images) entries[`charts/${image.slice(imageDir.length + 1)}`] = png;
      await writeOutput(path, (partial) => writeFile(partial, zipSync(entries, { level: 6 })), options.output);
    } else {
      // Images first, the Markdown last: a report file that exists has all its images.
      await writeOutputFolder(
        join(dirname(path), imageDir),
        async (partial) => {
          for (const [image, png] of md.images) await writeFile(join(partial, image.slice(imageDir.length + 1)), png);
        },
        options.output,
      );
      for (const image of md.images.keys()) files.push(join(dirname(path), image));
      await writeOutput(path, (partial) => writeFile(partial, md.text), options.output);
    }
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
