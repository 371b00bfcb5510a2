import { createWriteStream, type WriteStream } from 'node:fs';
import { DEFAULT_TAGS, PUMPS, TAG } from '../../src-shared/tags';
import { formatTimestamp } from '../../src-shared/time';
import type { MinuteSample } from './stationSim';

export type HistorianLayout = 'seed' | 'factorytalk';

/** Values of the 27 tags for one minute, in DEFAULT_TAGS order. */
export function tagValues(sample: MinuteSample): number[] {
  const values = new Map<string, number>([
    [TAG.dayTotal, round(sample.dayTotal, 2)],
    [TAG.flow, round(sample.flow, 2)],
    [TAG.level, round(sample.level, 1)],
  ]);
  PUMPS.forEach((pump, k) => {
    values.set(TAG.onOff(pump), sample.on[k] ? 1 : 0);
    values.set(TAG.kw(pump), round(sample.kw[k], 2));
    values.set(TAG.runHours(pump), Math.floor(sample.runMinutes[k] / 60));
    values.set(TAG.runMinutes(pump), sample.runMinutes[k] % 60);
  });
  return DEFAULT_TAGS.map((tag) => values.get(tag)!);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * FactoryTalk / RSView32 exports name tags through a tag table; its indices rarely follow the
 * seed's order. The demo numbers tags alphabetically, as a tag database export does.
 */
export function factoryTalkTagIndex(): Map<string, number> {
  return new Map([...DEFAULT_TAGS].sort().map((tag, index) => [tag, index]));
}

export function tagTableCsv(): string {
  const rows = [...factoryTalkTagIndex()].map(([tag, index]) => {
    const digital = tag.endsWith('.ONOFF');
    return `${tag},${index},${digital ? 'D' : 'A'},${digital ? 'Digital' : 'Float'}`;
  });
  return ['TagName,TTagIndex,TagType,TagDataType', ...rows].join('\n') + '\n';
}

/** M/D/YYYY, the US locale date an RSView32 PC writes. */
function usDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

/**
 * Streams a narrow historian export, one row per tag per minute. Samples land a second or two
 * into the minute (ingest floors them); the first minute is marked B (logging began), the rest S.
 * The FactoryTalk layout also carries a few rows with Status E (communication error) every day.
 */
export class HistorianWriter {
  private readonly out: WriteStream;
  private buffer: string[] = [];
  private rows = 0;
  private first = true;
  private readonly ftIndex = factoryTalkTagIndex();

  constructor(
    path: string,
    private readonly layout: HistorianLayout,
  ) {
    this.out = createWriteStream(path);
    this.buffer.push(
      layout === 'seed' ? 'Timestamp,Marker,TagIndex,Value' : 'Date,Time,Millitm,TagIndex,Value,Status,Marker',
    );
  }

  /** Writes one minute: the 27 tag values in DEFAULT_TAGS order. */
  async write(time: number, values: number[]): Promise<void> {
    const marker = this.first ? 'B' : 'S';
    this.first = false;
    for (let index = 0; index < values.length; index++) {
      const second = Math.floor(index / 10);
      const ms = time + second * 1000;
      if (this.layout === 'seed') {
        this.buffer.push(`${formatTimestamp(ms)},${marker},${index},${values[index]}`);
      } else {
        const stamp = formatTimestamp(ms);
        const millis = (index * 37) % 1000;
        // One communication error a day on the flow tag, at 03:17: value is junk, Status says so.
        const commError = index === 1 && stamp.endsWith('03:17:00');
        const value = commError ? 0 : values[index];
        const tagIndex = this.ftIndex.get(DEFAULT_TAGS[index])!;
        this.buffer.push(
          `${usDate(ms)},${stamp.slice(11)},${millis},${tagIndex},${value},${commError ? 'E' : ''},${marker}`,
        );
      }
      this.rows++;
    }
    if (this.buffer.length >= 20_000) await this.flush();
  }

  get rowCount(): number {
    return this.rows;
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) =>
      this.out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}
