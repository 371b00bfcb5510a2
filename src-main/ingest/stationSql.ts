import type { StationModel } from '../../src-shared/station/model';
import { StationSql as PureStationSql } from '../../src-shared/station/stationSql';
import { rawTagColumns } from '../db/schema';
import type { StationDb } from '../db/stationDb';

// The station's SQL (src-shared/station/stationSql.ts) over a project's readings_wide.
export class StationSql extends PureStationSql {
  static async of(db: StationDb, model: StationModel): Promise<StationSql> {
    return new StationSql(model, await rawTagColumns(db));
  }
}
