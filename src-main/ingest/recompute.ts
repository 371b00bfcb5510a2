import { ApiError } from '../../src-shared/api/errors';
import { rawTagColumns } from '../db/schema';
import { ident, type StationDb } from '../db/stationDb';
import { insertDerived } from './historianImport';
import { saveStation, type StoredStation } from './stationConfig';
import { rebuildStationTables } from './stationTables';

/**
 * Saves new station constants and recomputes everything that depends on them (hlt_pct, peak
 * hours, the flags, then every table), in one transaction on its own connection.
 */
export async function updateStation(mainDb: StationDb, station: StoredStation): Promise<void> {
  const db = await mainDb.fork();
  try {
    await db.transaction(async () => {
      await saveStation(db, station);
      const range = await db.one<{ lo: string | null; hi: string | null }>(
        `SELECT strftime(min("Timestamp"), '%Y-%m-%d %H:%M:%S') AS lo, strftime(max("Timestamp"), '%Y-%m-%d %H:%M:%S') AS hi FROM readings_wide`,
      );
      if (!range?.lo || !range.hi) return;
      const raw = await rawTagColumns(db);
      await db.run(`CREATE TEMP TABLE rw AS SELECT "Timestamp", "Marker", ${raw.map(ident).join(', ')} FROM readings_wide`);
      await db.run('DELETE FROM readings_wide');
      await insertDerived(db, station.config, raw, 'rw', 'TRUE', []);
      await db.run('DROP TABLE rw');
      await rebuildStationTables(db, station.config, { from: range.lo, to: range.hi });
    });
  } catch (error) {
    throw error instanceof ApiError ? error : new ApiError('internal', `station update failed: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}
