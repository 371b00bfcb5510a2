import { appendFileSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cursors } from '../src-edge/inputCursor';
import { readLogFile, readTagMap } from '../src-edge/readLogs';
import { newMinutes } from '../src-edge/siteInput';
import { createDemo } from '../src-main/demo/createDemo';
import { plausibleRange } from '../src-shared/historian/sampleCode';
import type { MinuteFrame } from '../src-shared/minuteFrame';
import { tempDir } from './helpers';

// The edge runner reads on from where it stopped (issue 22): on the shapes plants write (RSView32's
// narrow CSV with blank markers, Status and US dates through a tag table; a wide export with a
// units row and a missing value; the lift's 15-minute SCADA export; an RSView dBase log), a file
// read in two runs, cut mid-line while it is being written, gives the same minutes as one read of
// the whole: nothing dropped, nothing read twice.

const dir = tempDir();
const NOW = Date.parse('2026-01-01T00:00:00Z');
const range = plausibleRange(NOW);
const old = new Date(NOW - 10 * 60_000);

/** The frame's minutes as rows of [time, ...values], NaN (missing) written as null. */
const rows = (frame: MinuteFrame, from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY) =>
  [...frame.times.keys()]
    .filter((i) => frame.times[i] >= from && frame.times[i] < to)
    .map((i) => [frame.times[i], ...frame.values.map((v) => (Number.isNaN(v[i]) ? null : v[i]))]);

describe('reading a growing historian file in two runs', () => {
  it.each([
    ['factorytalk', { format: 'factorytalk' as const }, 'mdy' as const],
    ['wide', { format: 'wide' as const }, 'dmy' as const], // 1.3.2025 0.00.00;1,56;93,35 (a European locale)
    ['lift (15-minute)', { station: 'lift' as const }, 'mdy' as const],
  ])('%s: the same minutes as one read of the whole file', async (label, options, order) => {
    const demo = await createDemo({ out: join(dir, label), days: 2, seed: 2, ...options });
    let text = readFileSync(demo.historian, 'utf8');
    // A missing value deep in the file (a blank cell), kept missing, not read as 0.
    if (label === 'wide') {
      const lines = text.split('\n');
      lines[1500] = lines[1500].replace(/^([^;]*;[^;]*);[^;]*;/, '$1;;');
      text = lines.join('\n');
    }
    const tagMap = demo.tagTable ? await readTagMap(demo.tagTable) : null;
    const whole = join(dir, `${label}-whole.csv`);
    writeFileSync(whole, text);
    utimesSync(whole, old, old);
    const expected = await readLogFile(whole, range, tagMap, order);

    // First run: the file cut in the middle of a line, written just now.
    const live = join(dir, `${label}-live.csv`);
    const cut = Math.floor(text.length * 0.55);
    writeFileSync(live, text.slice(0, cut));
    const cursors: Cursors = {};
    const first = await newMinutes(live, cursors, range, tagMap, order, { files: 0, bytes: 0 });
    expect(first).not.toBeNull();
    expect(first?.heldFrom).not.toBeNull(); // its newest minute waits for the next run
    expect(cursors[live].held).toBe(true);
    // Second run: the rest written, the file left alone since.
    appendFileSync(live, text.slice(cut));
    utimesSync(live, old, old);
    const tally = { files: 0, bytes: 0 };
    const second = await newMinutes(live, cursors, range, tagMap, order, tally);
    expect(second?.reread).toBe(false);
    expect(tally.bytes).toBeLessThan(text.length * 0.5); // only what was not read before
    const got = [
      ...rows(first?.frame as MinuteFrame, Number.NEGATIVE_INFINITY, first?.heldFrom ?? 0),
      ...rows(second?.frame as MinuteFrame),
    ];
    expect(got).toEqual(rows(expected));
    if (label === 'wide') expect(got.flat().filter((v) => v === null).length).toBeGreaterThan(0);
    // Nothing new: nothing read.
    expect(await newMinutes(live, cursors, range, tagMap, order, tally)).toBeNull();
  });

  it('an RSView dBase log is read whole again only when it changed', async () => {
    const demo = await createDemo({ out: join(dir, 'dbf'), days: 1, seed: 2, format: 'dbf' });
    const tagMap = demo.tagTable ? await readTagMap(demo.tagTable) : null;
    utimesSync(demo.historian, old, old);
    const cursors: Cursors = {};
    const tally = { files: 0, bytes: 0 };
    const first = await newMinutes(demo.historian, cursors, range, tagMap, undefined, tally);
    expect(first?.heldFrom).toBeNull();
    expect(rows(first?.frame as MinuteFrame)).toEqual(rows(await readLogFile(demo.historian, range, tagMap)));
    expect(await newMinutes(demo.historian, cursors, range, tagMap, undefined, tally)).toBeNull();
    const touched = new Date(NOW - 5 * 60_000);
    utimesSync(demo.historian, touched, touched);
    const again = await newMinutes(demo.historian, cursors, range, tagMap, undefined, tally);
    expect(again?.reread).toBe(true);
    expect(rows(again?.frame as MinuteFrame)).toEqual(rows(first?.frame as MinuteFrame));
    expect(tally.files).toBe(2);
  });
});
