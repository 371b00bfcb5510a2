import type { ImportResult } from '../../../src-shared/api/contract';
import type { Handlers } from '../../../src-shared/api/host';
import { historianImportLine } from '../../../src-shared/api/importSummary';
import { stationInput } from '../../../src-shared/station/parse';
import { STATION_TABLES } from '../../db/schema';
import { retrainAfterImport } from '../../forecast/forecast';
import { importBaselines } from '../../ingest/baselines';
import { detectFile } from '../../ingest/detect';
import { importHistorian, tableCounts } from '../../ingest/historianImport';
import { guessMapping, importWideCsv } from '../../ingest/pumpOperational';
import { setStationModel } from '../../ingest/recompute';
import { readStationFile } from '../../ingest/stationConfig';
import { importMaintenance } from '../../models/maintenanceLog';
import { receiveChunk, releaseUpload, resolveFileRef } from '../fileRefs';

import type { HandlerScope } from './scope';

/** Uploads, previews and imports of every kind of file. */
export function importHandlers({ requireProject, changed }: HandlerScope) {
  return {
    'import.upload': async (params) => receiveChunk(params),
    'import.preview': async ({ file }) => {
      const { path: _path, layout: _layout, ...detected } = await detectFile(resolveFileRef(file));
      return {
        ...detected,
        file,
        suggestedMapping: detected.kind === 'wide' ? guessMapping(detected.columns) : undefined,
      };
    },
    'import.run': async (params, context): Promise<ImportResult> => {
      const result = await runImport(params, context);
      // Imported: the uploaded copy goes (a failed import keeps it, to retry with other options; a
      // tag table stays for the other logs it names, until the process exits).
      await releaseUpload(params.file);
      return result;
    },
  } satisfies Partial<Handlers>;

  async function runImport(
    params: Parameters<Handlers['import.run']>[0],
    { signal, progress }: Parameters<Handlers['import.run']>[1],
  ): Promise<ImportResult> {
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
      const retrain = await retrainAfterImport(project.db);
      if (retrain) changed(['model_performance', 'import_log']);
      return {
        kind: 'historian',
        message: historianImportLine(summary),
        warnings: summary.warnings,
        historian: summary,
        retrain,
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
    const tables = await tableCounts(project.db);
    return {
      kind: 'station',
      message: `station model from ${path.split(/[\\/]/).pop()}: ${station.config.pumps.length} pumps, ${station.config.kind}; every station table recomputed with it (${tables.alerts_log} alerts)`,
      warnings: [],
      rows: 1,
      tables,
    };
  }
}
