import type { Handlers } from '../../../src-shared/api/host';
import { anomaliesCsv, summarise } from '../../../src-shared/edge/anomalyStats';
import { allAnomalies, queryAnomalies, querySites } from '../../edge/anomalyApiClient';
import { readAnomalyApi, saveAnomalyApi, savedAnomalyApi } from '../../edge/anomalyApiSettings';
import { packageArtifact } from '../../edge/packageArtifact';
import { buildReport, reportModel } from '../../report/build';
import { renderMarkdown } from '../../report/markdown';
import { newDownloadPath, readDownloadChunk } from '../downloads';

import type { HandlerScope } from './scope';

/** What leaves the console: reports, downloads, edge artifacts and the anomaly API. */
export function outputHandlers({ requireProject }: HandlerScope) {
  return {
    'report.preview': async (request, { signal, progress }) => {
      const model = await reportModel(requireProject().db, { ...request, signal, onProgress: progress });
      // Charts inline as data URIs: the preview needs no file access.
      const md = renderMarkdown(model, 'charts');
      let markdown = md.text;
      for (const [path, png] of md.images)
        markdown = markdown.replace(`](${encodeURI(path)})`, `](data:image/png;base64,${png.toString('base64')})`);
      return { markdown, period: model.period };
    },
    'report.build': async ({ format, ...request }, { signal, progress }) => {
      const { id: reportId, path } = newDownloadPath(format);
      const result = await buildReport(requireProject().db, path, { ...request, format, signal, onProgress: progress });
      const name = `station-report-${result.period.from}-${result.period.to}.${format}`;
      return {
        reportId,
        name,
        bytes: result.bytes,
        pages: result.pages,
        period: result.period,
        seconds: result.seconds,
      };
    },
    'download.read': async ({ id, offset }) => readDownloadChunk(id, offset),
    'edge.package': async ({ modelVersions, ...request }, { signal, progress }) => {
      const { id, path } = newDownloadPath('zip');
      const result = await packageArtifact(requireProject().db, {
        ...request,
        modelVersions,
        out: path,
        signal,
        onProgress: progress,
      });
      const name = `pumpdeck-edge-${request.pump ? request.pump.replace(/[^\w-]+/g, '_') : 'station'}-${result.version}.zip`;
      return {
        id,
        name,
        bytes: result.bytes,
        version: result.version,
        models: result.models,
        notes: result.notes,
        files: result.files,
        keyFingerprint: result.keyFingerprint,
      };
    },
    'anomalies.query': async (filter) => queryAnomalies(await savedAnomalyApi(), filter),
    'anomalies.summary': async (filter) => {
      const { items, truncated } = await allAnomalies(await savedAnomalyApi(), filter);
      return { summary: summarise(items), csv: anomaliesCsv(items), truncated };
    },
    'anomalies.sites': async (options) => querySites(await savedAnomalyApi(), options),
    'anomalies.settings': async () => readAnomalyApi(),
    'anomalies.configure': async (settings) => saveAnomalyApi(settings),
  } satisfies Partial<Handlers>;
}
