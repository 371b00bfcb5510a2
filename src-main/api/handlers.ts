import { userInfo } from 'node:os';
import { catalogFor } from '../../src-shared/alerts/catalog';
import type { ImportResult } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import type { Handlers } from '../../src-shared/api/host';
import { anomaliesCsv, summarise } from '../../src-shared/edge/anomalyStats';
import { stationInput } from '../../src-shared/station/parse';
import { journal, recordAction } from '../alerts/lifecycle';
import { STATION_TABLES } from '../db/schema';
import { allAnomalies, queryAnomalies } from '../edge/anomalyApiClient';
import { packageArtifact } from '../edge/packageArtifact';
import { importBaselines, listBaselines } from '../ingest/baselines';
import { detectFile } from '../ingest/detect';
import { importHistorian } from '../ingest/historianImport';
import { guessMapping, importWideCsv } from '../ingest/pumpOperational';
import { setStationModel, suggestFromData, updateConstants } from '../ingest/recompute';
import { currentStation, loadStation, readStationFile } from '../ingest/stationConfig';
import { anomalyTimeline } from '../models/anomalyTimeline';
import { addMaintenance, importMaintenance, listMaintenance } from '../models/maintenanceLog';
import {
  currentPredictions,
  getModel,
  listModels,
  modelEvaluation,
  promoteModel,
  rollbackModel,
  saveModel,
} from '../models/registry';
import { trainModel } from '../models/train';
import { baselineFromPeriod, editBaseline } from '../performance/baselineEdit';
import { fleetPerformance, pumpPerformance } from '../performance/pumpPerformance';
import { stationPumpEnergy } from '../performance/stationPumps';
import { type Project, stationConfig } from '../project';
import { alarmKpis, listAlerts } from '../queries/alerts';
import { analyticsColumns, dailyAnalytics } from '../queries/analytics';
import { stationOverview } from '../queries/overview';
import { stationSeries } from '../queries/series';
import { buildReport, reportModel } from '../report/build';
import { renderMarkdown } from '../report/markdown';
import { newDownloadPath, readDownloadChunk } from './downloads';
import { receiveChunk, resolveFileRef } from './fileRefs';

export interface HandlerContext {
  version: string;
  project(): Project | null;
  /** Tells every connected view that tables changed. */
  changed?(tables: string[]): void;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'operator';
  }
}

/** The API's implementation on the Node side; every transport serves this one table. */
export function createHandlers(context: HandlerContext): Handlers {
  const requireProject = (): Project => {
    const project = context.project();
    if (!project) throw new ApiError('no_project', 'no station database is open');
    return project;
  };
  const changed = (tables: readonly string[]) => context.changed?.([...tables]);
  return {
    'app.info': async () => {
      const project = context.project();
      return {
        version: context.version,
        project: project ? { dbPath: project.dbPath, name: project.name, isDemo: project.isDemo } : null,
        user: osUser(),
      };
    },
    'station.config': async () => stationConfig(requireProject()),
    'station.overview': async ({ day }) => {
      const project = requireProject();
      return stationOverview(project.db, await stationConfig(project), day);
    },
    'station.series': async (params) => stationSeries(requireProject().db, params),
    'import.upload': async (params) => receiveChunk(params),
    'import.preview': async ({ file }) => {
      const { path: _path, layout: _layout, ...detected } = await detectFile(resolveFileRef(file));
      return {
        ...detected,
        file,
        suggestedMapping: detected.kind === 'wide' ? guessMapping(detected.columns) : undefined,
      };
    },
    'import.run': async (params, { signal, progress }): Promise<ImportResult> => {
      const project = requireProject();
      const path = resolveFileRef(params.file);
      if (params.kind === 'historian') {
        const summary = await importHistorian(project.db, path, {
          tagTable: params.tagTable ? resolveFileRef(params.tagTable) : undefined,
          dateOrder: params.dateOrder,
          allowDrops: params.allowDrops,
          station: params.station ? stationInput(params.station, 'the station model') : undefined,
          confirmSuggestion: true,
          signal,
          onProgress: progress,
        });
        changed(STATION_TABLES);
        return {
          kind: 'historian',
          message: `${summary.minutes} minutes imported (${summary.first} .. ${summary.last}): ${summary.newMinutes} new, ${summary.updatedMinutes} already present`,
          warnings: summary.warnings,
          historian: summary,
        };
      }
      if (params.kind === 'wide') {
        const summary = await importWideCsv(project.db, path, params.pump, params.mapping);
        changed(['pump_operational']);
        return {
          kind: 'wide',
          message: `${summary.rows} rows for ${summary.pump} (${summary.first} .. ${summary.last})`,
          warnings: [],
          rows: summary.rows,
        };
      }
      if (params.kind === 'maintenance') {
        const summary = await importMaintenance(project.db, path);
        changed(['maintenance_log']);
        return {
          kind: 'maintenance',
          message: `${summary.entries} maintenance entries`,
          warnings: [],
          rows: summary.entries,
        };
      }
      if (params.kind === 'baselines') {
        const summary = await importBaselines(project.db, path);
        changed(['pump_baselines']);
        return {
          kind: 'baselines',
          message: `baselines for ${summary.pumps.join(', ')}`,
          warnings: [],
          rows: summary.pumps.length,
        };
      }
      const station = await setStationModel(project.db, await readStationFile(path));
      changed(STATION_TABLES);
      return {
        kind: 'station',
        message: `station model from ${path.split(/[\\/]/).pop()}: ${station.config.pumps.length} pumps, ${station.config.kind}`,
        warnings: [],
        rows: 1,
      };
    },
    'station.settings': async () => {
      const db = requireProject().db;
      return (await loadStation(db)) ?? { ...(await currentStation(db)), assumed: true };
    },
    'station.update': async (params) => {
      const next = await updateConstants(requireProject().db, params);
      changed(STATION_TABLES);
      return next;
    },
    'station.setModel': async ({ model }) => {
      const next = await setStationModel(requireProject().db, stationInput(model, 'the station model'));
      changed(STATION_TABLES);
      return next;
    },
    'station.suggest': async () => suggestFromData(requireProject().db),
    'analytics.columns': async () => analyticsColumns(requireProject().db),
    'analytics.daily': async ({ from, to }) => dailyAnalytics(requireProject().db, from, to),
    'alerts.list': async (filter) => listAlerts(requireProject().db, filter),
    'alerts.act': async (request) => {
      const action = await recordAction(
        requireProject().db,
        { ...request, pump: request.pump ?? null },
        osUser(),
        Date.now(),
      );
      changed(['alert_actions']);
      return action;
    },
    'alerts.journal': async (key) => journal(requireProject().db, key),
    'alerts.kpis': async (filter) => alarmKpis(requireProject().db, filter),
    'performance.fleet': async () => fleetPerformance(requireProject().db),
    'performance.pump': async (query) => pumpPerformance(requireProject().db, query),
    'performance.baselines': async () => listBaselines(requireProject().db),
    'performance.setBaseline': async (edit) => {
      const record = await editBaseline(requireProject().db, edit);
      changed(['pump_baselines']);
      return record;
    },
    'performance.baselineFromPeriod': async (request) => {
      const record = await baselineFromPeriod(requireProject().db, request);
      changed(['pump_baselines']);
      return record;
    },
    'performance.stationPumps': async () => stationPumpEnergy(requireProject().db),
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
    'maintenance.list': async ({ pump }) => listMaintenance(requireProject().db, pump),
    'maintenance.add': async (entry) => {
      const added = await addMaintenance(requireProject().db, { ...entry, note: entry.note ?? null });
      changed(['maintenance_log']);
      return added;
    },
    'models.train': async (request, { signal, progress }) => {
      const db = requireProject().db;
      const trained = await trainModel(db, request, { signal, onProgress: progress });
      const model = await saveModel(db, trained, new Date());
      changed(['model_registry']);
      return model;
    },
    'models.list': async ({ pump }) => listModels(requireProject().db, pump),
    'models.detail': async ({ pump, kind, version }) => {
      const db = requireProject().db;
      const model = await getModel(db, pump, kind, version);
      if (!model) throw new ApiError('not_found', `no ${kind} model v${version} for pump ${pump}`);
      return { model, evaluation: await modelEvaluation(db, pump, kind, version) };
    },
    'models.promote': async ({ pump, kind, version }) => {
      const result = await promoteModel(requireProject().db, pump, kind, version, new Date());
      if (result.promoted) changed(['model_registry']);
      return result;
    },
    'models.rollback': async ({ pump, kind, version }) => {
      const model = await rollbackModel(requireProject().db, pump, kind, version, new Date());
      changed(['model_registry']);
      return model;
    },
    'models.predictions': async () => currentPredictions(requireProject().db),
    'models.anomalies': async ({ pump, from, to }) => anomalyTimeline(requireProject().db, pump, from, to),
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
    'anomalies.query': async (filter) => queryAnomalies(filter),
    'anomalies.summary': async (filter) => {
      const { items, truncated } = await allAnomalies(filter);
      return { summary: summarise(items), csv: anomaliesCsv(items), truncated };
    },
    'alerts.catalog': async () => catalogFor(await stationConfig(requireProject())),
  };
}
