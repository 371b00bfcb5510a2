import { ApiError } from '../../src-shared/api/errors';
import { rawTagColumns } from '../db/schema';
import type { StationDb } from '../db/stationDb';
import { applyMinutes } from './applyMinutes';
import { loadMinutes } from './minuteFrame';
import { type StoredStation, saveStation } from './stationConfig';

/**
 * Saves new station constants and recomputes everything that depends on them (hlt_pct, peak
 * hours, the flags, then every table), in one transaction on its own connection.
 */
export async function updateStation(mainDb: StationDb, station: StoredStation): Promise<void> {
  const db = await mainDb.fork();
  try {
    await db.transaction(async () => {
      await saveStation(db, station);
      const range = (await db.one<{ lo: number | null; hi: number | null }>(
        `SELECT epoch_ms(min("Timestamp"))::DOUBLE AS lo, epoch_ms(max("Timestamp"))::DOUBLE AS hi FROM readings_wide`,
      ))!;
      if (range.lo === null || range.hi === null) return;
      const all = await loadMinutes(db, await rawTagColumns(db), range.lo, range.hi);
      await applyMinutes(db, station.config, all, range.lo, range.hi, null);
    });
  } catch (error) {
    throw error instanceof ApiError
      ? error
      : new ApiError('internal', `station update failed: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}
