import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DBFFile, type FieldDescriptor } from 'dbffile';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLogFile, readTagMap } from '../src-edge/readLogs';
import { ensureSchema } from '../src-main/db/schema';
import { ident, StationDb } from '../src-main/db/stationDb';
import { importHistorian } from '../src-main/ingest/historianImport';
import { plausibleRange } from '../src-shared/historian/sampleCode';
import type { MinuteFrame } from '../src-shared/minuteFrame';
import { seedInput } from '../src-shared/station/parse';
import { formatTimestamp } from '../src-shared/time';
import { pumpdeck, tempDir } from './helpers';

// The files real plants write, built here shape by shape, read by the console (DuckDB) and by the
// edge runner's reader (JS), each checked against the minutes this test computes itself from the
// samples it wrote: the rule stated plainly (floor to the minute, the last sample of a tag-minute
// wins, blank B and S markers kept, E and bad Status dropped, a missing value is NULL).

const dir = tempDir();
const NOW = Date.UTC(2026, 0, 1);
const STATION = seedInput({ hlt_physical_max: 500 });
const T0 = Date.UTC(2025, 2, 3, 0, 0, 0);

interface Sample {
  ms: number;
  tag: string;
  value: number | null;
  marker: string;
  status: string;
}

/** Expected minutes: tag -> minute (ms) -> value (null: a minute with no value for the tag). */
type Expected = Map<string, Map<number, number | null>>;

function expectedMinutes(samples: Sample[], tags: string[]): { minutes: number[]; values: Expected } {
  const kept = samples.filter((s) => ['', 'B', 'S'].includes(s.marker) && s.status === '');
  const minutes = [...new Set(kept.map((s) => Math.floor(s.ms / 60_000) * 60_000))].sort((a, b) => a - b);
  const values: Expected = new Map(tags.map((t) => [t, new Map(minutes.map((m) => [m, null]))]));
  const when = new Map<string, number>();
  for (const s of kept) {
    if (s.value === null) continue;
    const minute = Math.floor(s.ms / 60_000) * 60_000;
    const key = `${s.tag}|${minute}`;
    if ((when.get(key) ?? -1) <= s.ms) {
      when.set(key, s.ms);
      values.get(s.tag)?.set(minute, s.value);
    }
  }
  return { minutes, values };
}

/** A deterministic value of a tag at a time: a few decimals, varied. */
const valueAt = (k: number, ms: number) => Math.round((100 * Math.sin(ms / 3.7e6 + k) + 200 + k) * 1000) / 1000;

const p2 = (n: number) => String(n).padStart(2, '0');
const clock = (ms: number) => formatTimestamp(ms).slice(11);
const usDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
};

async function compareConsole(
  file: string,
  tags: string[],
  expected: ReturnType<typeof expectedMinutes>,
  options = {},
) {
  const db = await StationDb.open(join(dir, `${Math.random().toString(36).slice(2)}.duckdb`));
  await ensureSchema(db);
  const summary = await importHistorian(db, file, { station: STATION, now: NOW, ...options });
  const rows = await db.all<Record<string, number | null>>(
    `SELECT epoch_ms("Timestamp")::DOUBLE AS t, ${tags.map((t, i) => `${ident(t)} AS v${i}`).join(', ')} FROM readings_wide ORDER BY 1`,
  );
  db.close();
  expect(rows.map((r) => r.t)).toEqual(expected.minutes);
  tags.forEach((tag, i) => {
    const want = expected.values.get(tag) as Map<number, number | null>;
    expect(
      rows.map((r) => r[`v${i}`]),
      tag,
    ).toEqual(expected.minutes.map((m) => want.get(m) ?? null));
  });
  return summary;
}

function compareFrame(frame: MinuteFrame, tags: string[], expected: ReturnType<typeof expectedMinutes>) {
  expect(Array.from(frame.times)).toEqual(expected.minutes);
  for (const tag of tags) {
    const column = frame.values[frame.tags.indexOf(tag)];
    const want = expected.values.get(tag) as Map<number, number | null>;
    expect(
      Array.from(column, (v) => (Number.isNaN(v) ? null : v)),
      tag,
    ).toEqual(expected.minutes.map((m) => want.get(m) ?? null));
  }
}

describe('a real RSView32 narrow log: blank markers, 10-second logging, 28 tags, Status codes, missing values', () => {
  // A day would be 241,920 rows; six hours keep the test quick with the same shape.
  const tags = Array.from({ length: 28 }, (_, k) => `[PLC]ST01_TAG${p2(k)}.PV`);
  const samples: Sample[] = [];
  const steps = 6 * 360;
  for (let i = 0; i < steps; i++) {
    const ms = T0 + i * 10_000;
    tags.forEach((tag, k) => {
      const marker = i === 0 ? 'B' : i === steps - 1 ? 'E' : i % 997 === 0 ? 'S' : '';
      const status = (i * 28 + k) % 5003 === 0 ? ['E', 'S', 'U', '*', 'D'][(i + k) % 5] : '';
      // Now and then no value, written as exports write one (a word, a dash, spaces around it).
      const gone = !status && (i * 28 + k) % 613 === 0;
      samples.push({ ms, tag, value: status ? 0 : gone ? null : valueAt(k, ms), marker, status });
    });
  }
  const missing = ['NA', ' - ', '#N/A', 'NaN', ' NULL', ''];
  const written = (s: Sample, n: number) => (s.value === null ? missing[n % missing.length] : String(s.value));
  const expected = expectedMinutes(samples, tags);
  let csv = '';
  let tagTable = '';
  beforeAll(() => {
    const folder = join(dir, 'rsview');
    mkdirSync(folder, { recursive: true });
    // A converter reordered the columns; the tag table sits beside the log and is found there.
    csv = join(folder, 'DataLog 250303 (Float).csv');
    tagTable = join(folder, 'DataLog 250303 (Tagname).csv');
    const index = new Map(tags.map((t, k) => [t, 100 + 3 * k]));
    writeFileSync(
      tagTable,
      `TagName,TTagIndex,TagType,TagDataType\n${tags.map((t) => `${t},${index.get(t)},A,Float`).join('\n')}\n`,
    );
    writeFileSync(
      csv,
      `Marker,Date,Time,Millitm,TagIndex,Value,Status\n${samples
        .map(
          (s, n) =>
            `${s.marker},${usDate(s.ms)},${clock(s.ms)},${s.ms % 1000},${index.get(s.tag)},${written(s, n)},${s.status}`,
        )
        .join('\n')}\n`,
    );
  });

  it('the console keeps every periodic sample, drops E and bad Status, and counts them', async () => {
    const summary = await compareConsole(csv, tags, expected, { dateOrder: 'mdy' });
    const bad = samples.filter((s) => s.status).length;
    expect(summary).toMatchObject({
      layout: 'rsview',
      samplesRead: samples.length,
      minutes: expected.minutes.length,
      tagTable: { path: tagTable, found: true },
      dateOrder: 'mdy',
      interval: 1,
    });
    expect(summary.dropped.ended).toBe(28);
    expect(summary.missingValues).toBe(samples.filter((s) => s.value === null && s.marker !== 'E').length);
    expect(summary.missingValues).toBeGreaterThan(50);
    expect(Object.values(summary.dropped.status).reduce((a, b) => a + b, 0)).toBe(bad);
    expect(summary.dropShare).toBeLessThan(0.01);
  });

  it('the edge reader gives the same minutes', async () => {
    compareFrame(await readLogFile(csv, plausibleRange(NOW), await readTagMap(tagTable), 'mdy'), tags, expected);
  });
});

describe('dBase logs written with dbffile: a FactoryTalk (Float).DAT file set and an RSView32 wide .DBF', () => {
  const tags = ['[PLC]LT101.PV', '[PLC]FT101.PV', '[PLC]P1.RUN', '[PLC]P1.KW', '[PLC]P2.RUN', '[PLC]P2.KW'];
  const index = new Map(tags.map((t, k) => [t, 10 + k]));
  const samples: Sample[] = [];
  for (let i = 0; i < 600; i++) {
    const ms = T0 + i * 20_000 + (i % 3) * 137;
    tags.forEach((tag, k) => {
      const marker = i === 0 ? 'B' : i === 599 ? 'E' : '';
      const status = i % 101 === 7 && k === 1 ? 'E' : '';
      samples.push({ ms, tag, value: i % 97 === 5 && k === 3 ? null : valueAt(k, ms), marker, status });
    });
  }
  const expected = expectedMinutes(samples, tags);
  const folder = join(dir, 'ft-set');
  const float = join(folder, '2025 03 03 0000 (Float).DAT');
  const wide = join(folder, '25030300(Wide).DBF');
  beforeAll(async () => {
    mkdirSync(folder, { recursive: true });
    const tagTable = await DBFFile.create(join(folder, '2025 03 03 0000 (Tagname).DAT'), [
      { name: 'Tagname', type: 'C', size: 255 },
      { name: 'TTagIndex', type: 'N', size: 5, decimalPlaces: 0 },
      { name: 'TagType', type: 'C', size: 1 },
      { name: 'TagDataTyp', type: 'C', size: 1 },
    ]);
    await tagTable.appendRecords(
      tags.map((t) => ({ Tagname: t, TTagIndex: index.get(t), TagType: 'A', TagDataTyp: 'F' })),
    );
    const log = await DBFFile.create(float, [
      { name: 'Date', type: 'D', size: 8 },
      { name: 'Time', type: 'C', size: 8 },
      { name: 'Millitm', type: 'N', size: 3, decimalPlaces: 0 },
      { name: 'TagIndex', type: 'N', size: 5, decimalPlaces: 0 },
      { name: 'Value', type: 'F', size: 17, decimalPlaces: 6 },
      { name: 'Status', type: 'C', size: 1 },
      { name: 'Marker', type: 'C', size: 1 },
    ]);
    await log.appendRecords(
      samples.map((s) => ({
        Date: new Date(Math.floor(s.ms / 86_400_000) * 86_400_000),
        Time: clock(s.ms),
        Millitm: s.ms % 1000,
        TagIndex: index.get(s.tag),
        Value: s.value,
        Status: s.status,
        Marker: s.marker,
      })),
    );
    // RSView32's wide log: a status and a value field per tag; short names are the field names,
    // the others go by index (named in the tag table beside it).
    const fieldOf = (t: string) => (t.length <= 10 ? t : String(index.get(t)));
    const fields: FieldDescriptor[] = [
      { name: 'Date', type: 'D', size: 8 },
      { name: 'Time', type: 'C', size: 8 },
      { name: 'Millitm', type: 'N', size: 3, decimalPlaces: 0 },
      { name: 'Marker', type: 'C', size: 1 },
      ...tags.flatMap((t, k): FieldDescriptor[] => [
        { name: `Sts_${p2(k)}`, type: 'C', size: 1 },
        { name: fieldOf(t), type: 'N', size: 17, decimalPlaces: 6 },
      ]),
    ];
    const wideLog = await DBFFile.create(wide, fields);
    const rows = new Map<number, Record<string, unknown>>();
    for (const s of samples) {
      const row = rows.get(s.ms) ?? {
        Date: new Date(Math.floor(s.ms / 86_400_000) * 86_400_000),
        Time: clock(s.ms),
        Millitm: s.ms % 1000,
        Marker: s.marker,
      };
      row[`Sts_${p2(tags.indexOf(s.tag))}`] = s.status;
      row[fieldOf(s.tag)] = s.value;
      rows.set(s.ms, row);
    }
    await wideLog.appendRecords([...rows.values()]);
    writeFileSync(join(folder, '25030300(Tagname).DBF'), '');
  });

  it('the console reads the narrow (Float).DAT with the (Tagname).DAT found beside it', async () => {
    const summary = await compareConsole(float, tags, expected);
    expect(summary).toMatchObject({ layout: 'rsview-dbf', tagTable: { found: true }, samplesRead: samples.length });
    expect(summary.dropped.status).toEqual({ E: samples.filter((s) => s.status === 'E').length });
    expect(summary.missingValues).toBe(samples.filter((s) => s.value === null && s.marker !== 'E').length);
  });

  it('the console reads the wide .DBF, given its tag table', async () => {
    const summary = await compareConsole(wide, tags, expected, {
      tagTable: join(folder, '2025 03 03 0000 (Tagname).DAT'),
    });
    expect(summary).toMatchObject({ layout: 'rsview-wide-dbf', rowsRead: 600 });
  });

  it('the edge reader gives the same minutes for both', async () => {
    const tagMap = await readTagMap(join(folder, '2025 03 03 0000 (Tagname).DAT'));
    compareFrame(await readLogFile(float, plausibleRange(NOW), tagMap), tags, expected);
    compareFrame(await readLogFile(wide, plausibleRange(NOW), tagMap), tags, expected);
  });

  it('pumpdeck ingest --historian reads the file set from the command line', () => {
    const db = join(dir, 'cli-dbf.duckdb');
    const result = pumpdeck('ingest', '--db', db, '--historian', float, '--json');
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ layout: 'rsview-dbf', minutes: expected.minutes.length });
  });
});

describe("an 8-pump wastewater station's wide SCADA export: BOM, units row, Finnish time stamps, 15 minutes", () => {
  const signals = [
    ['Wet well level', 'm'],
    ...Array.from({ length: 8 }, (_, k) => [`Pump flow ${k + 1}`, 'm3/h']),
    ...Array.from({ length: 8 }, (_, k) => [`Pump power ${k + 1}`, 'kW']),
    ...Array.from({ length: 8 }, (_, k) => [`Pump frequency ${k + 1}`, 'Hz']),
    ['Inflow', 'm3/15min'],
    ['Operator note', ''],
  ];
  const tags = signals.slice(0, -1).map(([name]) => name);
  const samples: Sample[] = [];
  const lines: string[] = [];
  const missing = ['NA', '', '-', '#N/A', '#VALUE!', 'NaN', 'null'];
  for (let i = 0; i < 4 * 24 * 3; i++) {
    const ms = T0 + i * 15 * 60_000;
    const d = new Date(ms);
    const stamp = `${d.getUTCDate()}.${d.getUTCMonth() + 1}.${d.getUTCFullYear()} ${d.getUTCHours()}.${p2(d.getUTCMinutes())}.00`;
    const cells = tags.map((tag, k) => {
      const gone = (i + k) % 41 === 0;
      const value = gone ? null : valueAt(k, ms);
      samples.push({ ms, tag, value, marker: '', status: '' });
      return value === null ? missing[(i + k) % missing.length] : String(value).replace('.', ',');
    });
    lines.push(`${stamp};${cells.join(';')};${i % 50 === 0 ? 'checked' : ''}`);
  }
  const expected = expectedMinutes(samples, tags);
  const file = join(dir, 'station_export.csv');
  beforeAll(() => {
    const header = `Time stamp;${signals.map(([n]) => n).join(';')}`;
    const units = `;${signals.map(([, u]) => u).join(';')}`;
    writeFileSync(file, `\uFEFF${header}\r\n${units}\r\n${lines.join('\r\n')}\r\n`);
  });

  it('the console stores every signal as a raw tag with its unit; NA and empties are NULL; the interval is 15 min', async () => {
    const summary = await compareConsole(file, tags, expected);
    expect(summary).toMatchObject({
      layout: 'wide',
      rowsRead: lines.length,
      interval: 15,
      gaps: 0,
      dateOrder: 'dmy',
      missingValues: samples.filter((s) => s.value === null).length,
      skippedColumns: [{ name: 'Operator note', reason: 'text, not numbers' }],
    });
    expect(summary.warnings).toContain('column Operator note was not imported: text, not numbers');
  });

  it('the units row is kept as tag metadata', async () => {
    const db = await StationDb.open(join(dir, 'units.duckdb'));
    await ensureSchema(db);
    await importHistorian(db, file, { station: STATION, now: NOW });
    const units = await db.all(
      `SELECT tag, unit FROM tag_meta WHERE tag IN ('Wet well level', 'Pump flow 1', 'Inflow') ORDER BY tag`,
    );
    db.close();
    expect(units).toEqual([
      { tag: 'Inflow', unit: 'm3/15min' },
      { tag: 'Pump flow 1', unit: 'm3/h' },
      { tag: 'Wet well level', unit: 'm' },
    ]);
  });

  it('the edge reader gives the same minutes', async () => {
    compareFrame(await readLogFile(file, plausibleRange(NOW), null), tags, expected);
  });
});

describe('a water utility export: tab-separated, US times with AM/PM, #N/A and empty cells', () => {
  const tags = ['PS1 Discharge Pressure', 'PS1 Flow', 'PS1 Pump A Amps'];
  const samples: Sample[] = [];
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) {
    const ms = T0 + 13 * 3_600_000 + i * 60_000;
    const d = new Date(ms);
    const h = d.getUTCHours();
    const stamp = `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${p2(d.getUTCMinutes())}:00 ${h < 12 ? 'AM' : 'PM'}`;
    const cells = tags.map((tag, k) => {
      const value = i % 17 === k ? null : valueAt(k, ms);
      samples.push({ ms, tag, value, marker: '', status: '' });
      return value === null ? (k % 2 ? '#N/A' : '') : String(value);
    });
    lines.push([stamp, ...cells].join('\t'));
  }
  const expected = expectedMinutes(samples, tags);
  const file = join(dir, 'utility.txt');
  beforeAll(() => writeFileSync(file, `DateTime\t${tags.join('\t')}\n${lines.join('\n')}\n`));

  it('the console and the edge reader agree with the samples', async () => {
    // 3/3/2025 could be either: the order is the operator's choice (AM/PM alone does not decide it).
    const summary = await compareConsole(file, tags, expected, { dateOrder: 'mdy' });
    expect(summary).toMatchObject({ layout: 'wide', dateOrder: 'mdy', interval: 1 });
    compareFrame(await readLogFile(file, plausibleRange(NOW), null, 'mdy'), tags, expected);
  });
});

describe('a file mostly dropped is refused, and says why', () => {
  it('over half E markers: an error unless the drops are allowed; the tables stay unchanged', async () => {
    const file = join(dir, 'ended.csv');
    const rows = Array.from(
      { length: 100 },
      (_, i) => `3/13/2025,00:${p2(Math.floor(i / 2))}:00,0,2,${i},,${i < 70 ? 'E' : ''}`,
    );
    writeFileSync(file, `Date,Time,Millitm,TagIndex,Value,Status,Marker\n${rows.join('\n')}\n`);
    const db = await StationDb.open(join(dir, 'drops.duckdb'));
    await ensureSchema(db);
    await expect(importHistorian(db, file, { station: STATION, now: NOW })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(
        /^ended\.csv: 70 % of the samples would be dropped \(70 by marker E \(logging ended\)\); nothing was imported/,
      ),
    });
    expect(await db.all('SELECT count(*) AS n FROM readings_wide')).toEqual([{ n: 0 }]);
    const summary = await importHistorian(db, file, { station: STATION, now: NOW, allowDrops: true });
    expect(summary.warnings[0]).toBe('70 % of the samples were dropped: 70 by marker E (logging ended)');
    db.close();
    const cli = pumpdeck('ingest', '--db', join(dir, 'drops-cli.duckdb'), '--historian', file);
    expect(cli.code).toBe(1);
    expect(cli.err).toMatch(/70 % of the samples would be dropped .* \(--allow-drops\)/);
    const allowed = pumpdeck('ingest', '--db', join(dir, 'drops-cli.duckdb'), '--historian', file, '--allow-drops');
    expect(allowed.code).toBe(0);
    expect(allowed.out.split('\n')[0]).toBe(
      'warning: 70 % of the samples were dropped: 70 by marker E (logging ended)',
    );
  });
});
