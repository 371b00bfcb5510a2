import type { LevelSignal } from './model';
import { unitFactor } from './units';

// The stored volume (m³) at a level, from the station model: the level's area times its height
// above the level's minimum, or a level-to-volume table for a shaped wet well (linear between rows).

export interface VolumeModel {
  /** m³ at a level in the level's own unit. */
  at(level: number): number;
  /** m³ between the level's min and max. */
  capacity: number;
}

export function volumeModel(level: LevelSignal | undefined): VolumeModel | null {
  if (!level) return null;
  const table = level.volume_table?.length ? [...level.volume_table].sort((a, b) => a[0] - b[0]) : null;
  if (table && table.length >= 2) {
    const at = (x: number) => {
      let k = 1;
      while (k < table.length - 1 && table[k][0] < x) k++;
      const [[x0, v0], [x1, v1]] = [table[k - 1], table[k]];
      return x1 === x0 ? v0 : v0 + ((x - x0) * (v1 - v0)) / (x1 - x0);
    };
    return { at, capacity: at(level.max) - at(level.min) };
  }
  const metres = unitFactor('length', level.unit);
  if (!level.area_m2 || metres === null) return null;
  const area = level.area_m2;
  const at = (x: number) => (x - level.min) * metres * area;
  return { at, capacity: at(level.max) };
}
