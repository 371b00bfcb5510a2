import { createWriteStream, type WriteStream } from 'node:fs';
import { DBFFile, type FieldDescriptor } from 'dbffile';
import { DEFAULT_TAGS, PUMPS, TAG } from '../../src-shared/tags';
import { formatTimestamp } from '../../src-shared/time';
import type { MinuteSample } from './stationSim';

// The demo station's historian export in each shape real plants write (docs/decisions.md, "Real
// exports"): the seed's narrow CSV; RSView32 / FactoryTalk's narrow CSV (blank markers, US
// dates, a tag table); a SCADA's station-wide CSV (BOM, units row, Finnish time stamps, `;` and
// decimal commas, NA for a missing value); and the native dBase logs (a FactoryTalk file set
// `(Float).DAT` + `(Tagname).DAT`, or an RSView32 wide `.DBF`).

export type HistorianLayout = 'seed' | 'factorytalk' | 'wide' | 'dbf' | 'dbf-wide';

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
  return DEFAULT_TAGS.map((tag) => values.get(tag) as number);
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
  return `${['TagName,TTagIndex,TagType,TagDataType', ...rows].join('\n')}\n`;
}

/** The file names each layout writes: the log, and its tag table when it has one. */
export function historianFileNames(layout: HistorianLayout, start: string): { log: string; tagTable: string | null } {
  const set = start.replaceAll('-', ' ');
  switch (layout) {
    case 'seed':
      return { log: 'historian.csv', tagTable: null };
    case 'factorytalk':
      return { log: 'historian_factorytalk.csv', tagTable: 'tags.csv' };
    case 'wide':
      return { log: 'historian_wide.csv', tagTable: null };
    case 'dbf':
      return { log: `${set} 0000 (Float).DAT`, tagTable: `${set} 0000 (Tagname).DAT` };
    case 'dbf-wide':
      return {
        log: `${set.slice(2).replaceAll(' ', '')}00(Wide).DBF`,
        tagTable: `${set.slice(2).replaceAll(' ', '')}00(Tagname).DBF`,
      };
  }
}

/** Units of the demo's tags, for the wide export's units row. */
function unitOf(tag: string): string {
  if (tag === TAG.level) return 'cm';
  if (tag === TAG.flow) return 'm3/h';
  if (tag === TAG.dayTotal) return 'm3';
  if (tag.endsWith('.ONOFF')) return '0/1';
  if (tag.includes('KWH_HR')) return 'kW';
  return tag.endsWith('.RHR') ? 'h' : 'min';
}

/** M/D/YYYY, the US locale date an RSView32 PC writes. */
function usDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

/** D.M.YYYY H.MM.SS, the Finnish locale time a SCADA PC writes (hour without a leading zero). */
function finnishTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()}.${d.getUTCMonth() + 1}.${d.getUTCFullYear()} ${d.getUTCHours()}.${p(d.getUTCMinutes())}.${p(d.getUTCSeconds())}`;
}

/** Where a demo minute goes: one format's way of writing it. */
interface MinuteOutput {
  write(time: number, values: number[], marker: string): Promise<void>;
  close(): Promise<void>;
}

/** A text file written in chunks. */
class TextOutput {
  private readonly out: WriteStream;
  private buffer: string[] = [];

  constructor(path: string, header: string[]) {
    this.out = createWriteStream(path);
    this.buffer.push(...header);
  }

  async lines(lines: string[]): Promise<void> {
    this.buffer.push(...lines);
    if (this.buffer.length >= 20_000) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = `${this.buffer.join('\n')}\n`;
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

/** The communication error the RSView32 formats log once a day on the flow tag, at 03:17. */
const isCommError = (index: number, ms: number) => index === 1 && formatTimestamp(ms).endsWith('03:17:00');

function seedOutput(path: string): MinuteOutput {
  const text = new TextOutput(path, ['Timestamp,Marker,TagIndex,Value']);
  return {
    // The seed's converted export writes B at the start and S on every other row.
    write: (time, values, marker) =>
      text.lines(
        values.map(
          (v, index) => `${formatTimestamp(time + Math.floor(index / 10) * 1000)},${marker || 'S'},${index},${v}`,
        ),
      ),
    close: () => text.close(),
  };
}

function factoryTalkOutput(path: string): MinuteOutput {
  const text = new TextOutput(path, ['Date,Time,Millitm,TagIndex,Value,Status,Marker']);
  const ftIndex = factoryTalkTagIndex();
  return {
    write: (time, values, marker) =>
      text.lines(
        values.map((v, index) => {
          const ms = time + Math.floor(index / 10) * 1000;
          const error = isCommError(index, ms);
          const tagIndex = ftIndex.get(DEFAULT_TAGS[index]);
          return `${usDate(ms)},${formatTimestamp(ms).slice(11)},${(index * 37) % 1000},${tagIndex},${error ? 0 : v},${error ? 'E' : ''},${marker}`;
        }),
      ),
    close: () => text.close(),
  };
}

function wideOutput(path: string): MinuteOutput {
  const units = DEFAULT_TAGS.map(unitOf);
  const text = new TextOutput(path, [`\uFEFFTime stamp;${DEFAULT_TAGS.join(';')}`, `;${units.join(';')}`]);
  return {
    write: (time, values) =>
      text.lines([
        `${finnishTime(time)};${values.map((v, index) => (isCommError(index, time) ? 'NA' : String(v).replace('.', ','))).join(';')}`,
      ]),
    close: () => text.close(),
  };
}

/** dBase files are appended a few thousand records at a time. */
class DbfOutput {
  private records: Array<Record<string, unknown>> = [];
  private constructor(private readonly dbf: DBFFile) {}

  static async create(path: string, fields: FieldDescriptor[]): Promise<DbfOutput> {
    return new DbfOutput(await DBFFile.create(path, fields));
  }

  async add(records: Array<Record<string, unknown>>): Promise<void> {
    this.records.push(...records);
    if (this.records.length >= 20_000) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.records.length) await this.dbf.appendRecords(this.records);
    this.records = [];
  }
}

/** A dBase date of a naive time: UTC midnight, as dbffile writes YYYYMMDD. */
const dbfDate = (ms: number) => new Date(Math.floor(ms / 86_400_000) * 86_400_000);

async function narrowDbfOutput(path: string, tagTablePath: string): Promise<MinuteOutput> {
  const log = await DbfOutput.create(path, [
    { name: 'Date', type: 'D', size: 8 },
    { name: 'Time', type: 'C', size: 8 },
    { name: 'Millitm', type: 'N', size: 3, decimalPlaces: 0 },
    { name: 'TagIndex', type: 'N', size: 5, decimalPlaces: 0 },
    { name: 'Value', type: 'F', size: 17, decimalPlaces: 6 },
    { name: 'Status', type: 'C', size: 1 },
    { name: 'Marker', type: 'C', size: 1 },
  ]);
  const ftIndex = factoryTalkTagIndex();
  await writeTagTableDbf(tagTablePath, ftIndex);
  return {
    write: (time, values, marker) =>
      log.add(
        values.map((v, index) => {
          const ms = time + Math.floor(index / 10) * 1000;
          const error = isCommError(index, ms);
          return {
            Date: dbfDate(ms),
            Time: formatTimestamp(ms).slice(11),
            Millitm: (index * 37) % 1000,
            TagIndex: ftIndex.get(DEFAULT_TAGS[index]),
            Value: error ? 0 : v,
            Status: error ? 'E' : '',
            Marker: marker,
          };
        }),
      ),
    close: () => log.flush(),
  };
}

async function writeTagTableDbf(path: string, index: Map<string, number>): Promise<void> {
  const table = await DbfOutput.create(path, [
    { name: 'Tagname', type: 'C', size: 255 },
    { name: 'TTagIndex', type: 'N', size: 5, decimalPlaces: 0 },
    { name: 'TagType', type: 'C', size: 1 },
    { name: 'TagDataTyp', type: 'C', size: 1 },
  ]);
  await table.add(
    [...index].map(([tag, i]) => ({
      Tagname: tag,
      TTagIndex: i,
      TagType: tag.endsWith('.ONOFF') ? 'D' : 'A',
      TagDataTyp: 'F',
    })),
  );
  await table.flush();
}

/** RSView32's wide log: a status and a value field per tag, the value field named by tag index. */
async function wideDbfOutput(path: string, tagTablePath: string): Promise<MinuteOutput> {
  const ftIndex = factoryTalkTagIndex();
  const order = DEFAULT_TAGS.map((tag) => ftIndex.get(tag) as number);
  const fields: FieldDescriptor[] = [
    { name: 'Date', type: 'D', size: 8 },
    { name: 'Time', type: 'C', size: 8 },
    { name: 'Millitm', type: 'N', size: 3, decimalPlaces: 0 },
    { name: 'Marker', type: 'C', size: 1 },
    ...order.flatMap((i): FieldDescriptor[] => [
      { name: `Sts_${String(i).padStart(2, '0')}`, type: 'C', size: 1 },
      { name: String(i), type: 'F', size: 17, decimalPlaces: 6 },
    ]),
  ];
  const log = await DbfOutput.create(path, fields);
  await writeTagTableDbf(tagTablePath, ftIndex);
  return {
    write: (time, values, marker) => {
      const record: Record<string, unknown> = {
        Date: dbfDate(time),
        Time: formatTimestamp(time).slice(11),
        Millitm: 0,
        Marker: marker,
      };
      values.forEach((v, k) => {
        const i = order[k];
        const error = isCommError(k, time);
        record[`Sts_${String(i).padStart(2, '0')}`] = error ? 'E' : '';
        record[String(i)] = error ? null : v;
      });
      return log.add([record]);
    },
    close: () => log.flush(),
  };
}

/**
 * Streams the demo's historian export, one minute at a time. The first minute is marked B (logging
 * began); the seed layout marks the rest S, the RSView32 / FactoryTalk layouts leave them blank
 * as real logs do. Those layouts also log one communication error a day (Status E).
 */
export class HistorianWriter {
  private rows = 0;
  private first = true;

  private constructor(private readonly output: MinuteOutput) {}

  static async open(path: string, layout: HistorianLayout, tagTablePath: string | null): Promise<HistorianWriter> {
    switch (layout) {
      case 'seed':
        return new HistorianWriter(seedOutput(path));
      case 'factorytalk':
        return new HistorianWriter(factoryTalkOutput(path));
      case 'wide':
        return new HistorianWriter(wideOutput(path));
      case 'dbf':
        return new HistorianWriter(await narrowDbfOutput(path, tagTablePath as string));
      case 'dbf-wide':
        return new HistorianWriter(await wideDbfOutput(path, tagTablePath as string));
    }
  }

  /** Writes one minute: the 27 tag values in DEFAULT_TAGS order. */
  async write(time: number, values: number[]): Promise<void> {
    const marker = this.first ? 'B' : '';
    this.first = false;
    await this.output.write(time, values, marker);
    this.rows += values.length;
  }

  get rowCount(): number {
    return this.rows;
  }

  close(): Promise<void> {
    return this.output.close();
  }
}
