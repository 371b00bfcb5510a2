import { rowsInRealTime } from '../station/realTime';
import type { HistorianImportSummary } from './contract';

// What a historian import says it did, in one line: the Import page's message and the CLI's
// summary line are this one sentence (rows in real time, not "minutes").

export function historianImportLine(s: HistorianImportSummary): string {
  const what =
    s.layout === 'wide' || s.layout === 'rsview-wide-dbf'
      ? `${s.rowsRead} rows of ${s.tags} signals`
      : `${s.samplesRead} samples`;
  const span = s.minutes
    ? `${rowsInRealTime(s.minutes, s.interval, s.loggedMinutes)}, ${s.first} .. ${s.last}`
    : 'no rows';
  return `imported ${what}: ${span} (${s.newMinutes} rows new, ${s.updatedMinutes} already present), logged every ${s.interval} min, in ${s.seconds} s`;
}
