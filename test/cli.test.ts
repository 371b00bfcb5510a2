import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedDatasets, pumpdeck, REPO, SHARED_DATASETS, tempDir } from './helpers';

describe('bin/pumpdeck', () => {
  it('is built (npm run build)', () => {
    expect(existsSync(join(REPO, 'out/cli/pumpdeck.mjs'))).toBe(true);
  });

  it('--help lists the commands and exits 0; no command is a usage error (2)', () => {
    const help = pumpdeck('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(
      /alerts .*\n.*anomalies .*\n.*ask .*\n.*demo .*\n.*detect .*\n.*forecast .*\n.*ingest .*\n.*keygen .*\n.*models .*\n.*optimize .*\n.*package .*\n.*performance .*\n.*query .*\n.*report .*\n.*serve .*\n.*sink .*\n.*station .*\n.*train /,
    );
    expect(pumpdeck().code).toBe(2);
    expect(pumpdeck('frobnicate').code).toBe(2);
  });

  it.each([
    'alerts',
    'anomalies',
    'ask',
    'demo',
    'detect',
    'forecast',
    'ingest',
    'keygen',
    'models',
    'optimize',
    'package',
    'performance',
    'query',
    'report',
    'station',
    'serve',
    'sink',
    'train',
  ])('%s --help prints its usage and exits 0', (command) => {
    const result = pumpdeck(command, '--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`Usage: pumpdeck ${command}`);
  });

  it('a bad flag is a usage error naming the flag', () => {
    const result = pumpdeck('demo', '--out', tempDir(), '--days', 'seven');
    expect(result.code).toBe(2);
    expect(result.err).toContain('invalid --days: seven');
  });

  it('demo writes the seed-layout station files, the same for the same seed', () => {
    const a = tempDir();
    const b = tempDir();
    expect(pumpdeck('demo', '--out', a, '--days', '2', '--seed', '9').code).toBe(0);
    expect(pumpdeck('demo', '--out', b, '--days', '2', '--seed', '9').code).toBe(0);
    expect(readdirSync(a).sort()).toEqual([
      'baselines.csv',
      'historian.csv',
      'maintenance.csv',
      'operational',
      'station.json',
    ]);
    expect(readdirSync(join(a, 'operational')).sort()).toEqual([
      'P1.csv',
      'P2.csv',
      'P3.csv',
      'P4.csv',
      'P5.csv',
      'P6.csv',
    ]);
    expect(readFileSync(join(a, 'historian.csv'), 'utf8')).toBe(readFileSync(join(b, 'historian.csv'), 'utf8'));
    const historian = readFileSync(join(a, 'historian.csv'), 'utf8').trim().split('\n');
    expect(historian[0]).toBe('Timestamp,Marker,TagIndex,Value');
    expect(historian).toHaveLength(1 + 2 * 1440 * 27);
    expect(historian[1]).toMatch(/^2025-03-01 00:00:00,B,0,/);
    const station = JSON.parse(readFileSync(join(a, 'station.json'), 'utf8'));
    expect(Object.keys(station)).toEqual(
      expect.arrayContaining(['rated_kw', 'hlt_physical_max', 'fit101_physical_max', 'daily_energy_budget_kwh']),
    );
    expect(readFileSync(join(a, 'baselines.csv'), 'utf8').split('\n')[0]).toBe(
      'well_id,pump_type,horsepower,application,baseline_flow_gpm,baseline_discharge_pressure_psi,baseline_power_hp,baseline_efficiency_percent,tolerance_grade',
    );
    expect(readFileSync(join(a, 'operational/P1.csv'), 'utf8').split('\n')[0]).toBe(
      'Timestamp,Flow (gpm),Discharge Pressure (psi),Suction Pressure (psi),Motor Power (hp),Pump Efficiency (%),Motor Speed (rpm)',
    );
  });

  it('demo --format factorytalk writes the RSView32 layout with its tag table', () => {
    const dir = tempDir();
    expect(pumpdeck('demo', '--out', dir, '--days', '1', '--format', 'factorytalk').code).toBe(0);
    const rows = readFileSync(join(dir, 'historian_factorytalk.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('Date,Time,Millitm,TagIndex,Value,Status,Marker');
    expect(rows[1]).toMatch(/^3\/1\/2025,00:00:00,\d+,\d+,[-\d.]+,,B$/);
    expect(rows.some((r) => r.split(',')[5] === 'E')).toBe(true);
    const tags = readFileSync(join(dir, 'tags.csv'), 'utf8').trim().split('\n');
    expect(tags[0]).toBe('TagName,TTagIndex,TagType,TagDataType');
    expect(tags).toHaveLength(28);
    expect(tags).toContain('[PLC]P01A.RHR,3,A,Float'); // index 15 in the seed order
    expect(tags).toContain('[PLC]P1.ONOFF,15,D,Digital'); // index 3 in the seed order
  });

  it('ingest reports what it imported; a missing file fails with exit 1', () => {
    const dir = tempDir();
    pumpdeck('demo', '--out', dir, '--days', '1');
    const ok = pumpdeck(
      'ingest',
      '--db',
      join(dir, 's.duckdb'),
      '--historian',
      join(dir, 'historian.csv'),
      '--station',
      join(dir, 'station.json'),
      '--json',
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({
      rowsRead: 1440 * 27,
      samplesKept: 1440 * 27,
      minutes: 1440,
      first: '2025-03-01 00:00:00',
      last: '2025-03-01 23:59:00',
    });
    const missing = pumpdeck('ingest', '--db', join(dir, 's.duckdb'), '--historian', join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.csv');
  });

  it.skipIf(!hasSharedDatasets)(
    'ingest --wide reads a ;-separated test-bed file with a column mapping, saved for the pump (SKAB data)',
    () => {
      const db = join(tempDir(), 'w.duckdb');
      const skab = join(SHARED_DATASETS, 'skab/valve1/0.csv');
      const lines = readFileSync(skab, 'utf8').trim().split(/\r?\n/).length - 1;
      const map = JSON.stringify({ flow: 'Volume Flow RateRMS', head: 'Pressure', power: 'Current' });
      const first = pumpdeck('ingest', '--db', db, '--wide', skab, '--pump', 'SKAB-1', '--map', map, '--json');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.out)).toMatchObject({
        pump: 'SKAB-1',
        rows: lines,
        first: '2020-03-09 10:14:33',
        replacedRows: 0,
      });
      const again = pumpdeck('ingest', '--db', db, '--wide', skab, '--pump', 'SKAB-1', '--json');
      expect(JSON.parse(again.out)).toMatchObject({
        rows: lines,
        replacedRows: lines,
        mapping: { flow: 'Volume Flow RateRMS', head: 'Pressure', power: 'Current' },
      });
      const count = pumpdeck(
        'query',
        '--db',
        db,
        '--sql',
        `SELECT count(*) AS n, round(avg(flow), 6) AS flow FROM pump_operational WHERE pump = 'SKAB-1'`,
        '--json',
      );
      expect(JSON.parse(count.out)[0].n).toBe(lines);
    },
  );

  it('ingest --baselines stores seed 000 baselines; a bad one names line and field and stores nothing', () => {
    const dir = tempDir();
    pumpdeck('demo', '--out', dir, '--days', '1');
    const db = join(dir, 'b.duckdb');
    expect(pumpdeck('ingest', '--db', db, '--baselines', join(dir, 'baselines.csv')).out).toContain(
      'P1, P2, P3, P4, P5, P6',
    );
    const bad = readFileSync(join(dir, 'baselines.csv'), 'utf8').replace(/,(\d+\.\d+),2B\n$/, ',120,2B\n');
    writeFileSync(join(dir, 'bad.csv'), bad.replace('P6,', 'P7,'));
    const result = pumpdeck('ingest', '--db', db, '--baselines', join(dir, 'bad.csv'));
    expect(result.code).toBe(1);
    expect(result.err).toContain('bad.csv: line 7: field baseline_efficiency_percent: an efficiency over 100 %: 120');
    const wells = JSON.parse(
      pumpdeck('query', '--db', db, '--sql', 'SELECT list(well_id ORDER BY well_id) AS w FROM pump_baselines', '--json')
        .out,
    );
    expect(wells).toEqual([{ w: ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'] }]);
  });

  it('query prints JSON numbers and refuses writes', () => {
    const dir = tempDir();
    pumpdeck('demo', '--out', dir, '--days', '1');
    const db = join(dir, 'q.duckdb');
    pumpdeck('ingest', '--db', db, '--historian', join(dir, 'historian.csv'));
    const rows = JSON.parse(
      pumpdeck(
        'query',
        '--db',
        db,
        '--sql',
        'SELECT count(*) AS minutes, sum(total_kw) / 60 AS kwh, min(date) AS day FROM readings_wide',
        '--json',
      ).out,
    );
    expect(rows).toEqual([{ minutes: 1440, kwh: expect.any(Number), day: '2025-03-01' }]);
    const write = pumpdeck('query', '--db', db, '--sql', 'DELETE FROM readings_wide');
    expect(write.code).toBe(1);
    expect(write.err).toMatch(/read-only/);
    expect(
      JSON.parse(pumpdeck('query', '--db', db, '--sql', 'SELECT count(*) AS n FROM readings_wide', '--json').out),
    ).toEqual([{ n: 1440 }]);
  });

  it('alerts lists what the engine found at ingest: a trip injected into a real export', () => {
    const dir = tempDir();
    pumpdeck('demo', '--out', dir, '--days', '2', '--seed', '1');
    const lines = readFileSync(join(dir, 'historian.csv'), 'utf8').split('\n');
    // P1 runs in the first hours of the demo: its kW (TagIndex 9) drops to 0 from 02:00 to 02:09.
    const tripped = lines.map((line) =>
      /^2025-03-01 02:0\d:\d\d,S,9,/.test(line) ? line.replace(/,[^,]+$/, ',0') : line,
    );
    writeFileSync(join(dir, 'trip.csv'), tripped.join('\n'));
    const db = join(dir, 'a.duckdb');
    expect(
      pumpdeck('ingest', '--db', db, '--historian', join(dir, 'trip.csv'), '--station', join(dir, 'station.json')).code,
    ).toBe(0);
    const alerts = JSON.parse(pumpdeck('alerts', '--db', db, '--json').out);
    const trip = alerts.filter((a: { rule: string }) => a.rule === 'B-01');
    expect(trip).toEqual([
      {
        rule: 'B-01',
        severity: 'CRITICAL',
        pump: 'P1',
        timestamp: '2025-03-01 02:02:00',
        resolved_at: '2025-03-01 02:10:00',
        duration_min: 8,
        message: 'P1 commanded ON but draws 0 kW: tripped',
        value_at_trigger: 0,
      },
    ]);
    expect(alerts.filter((a: { severity: string }) => a.severity === 'CRITICAL' || a.severity === 'HIGH')).toEqual(
      trip,
    );
    const kpis = JSON.parse(pumpdeck('alerts', '--db', db, '--kpis', '--json').out);
    expect(kpis).toMatchObject({ alerts: alerts.length, bySeverity: { CRITICAL: 1 }, chattering: 0, floodPeriods: 0 });
    const daily = JSON.parse(
      pumpdeck(
        'query',
        '--db',
        db,
        '--sql',
        "SELECT total_alerts, critical_alerts FROM daily_summary WHERE date = '2025-03-01'",
        '--json',
      ).out,
    );
    expect(daily).toEqual([
      {
        total_alerts: alerts.filter((a: { timestamp: string }) => a.timestamp.startsWith('2025-03-01')).length,
        critical_alerts: 1,
      },
    ]);
  });

  it('demo --fault writes the fault into the export; ingest finds it; a bad fault is a usage error', () => {
    const dir = tempDir();
    expect(
      pumpdeck('demo', '--out', dir, '--days', '3', '--fault', 'gap@2:10:00+45', '--fault', 'badlevel@3:01:00+5').code,
    ).toBe(0);
    const db = join(dir, 'f.duckdb');
    pumpdeck('ingest', '--db', db, '--historian', join(dir, 'historian.csv'), '--station', join(dir, 'station.json'));
    const strong = JSON.parse(pumpdeck('alerts', '--db', db, '--json').out)
      .filter((a: { severity: string }) => a.severity === 'HIGH' || a.severity === 'CRITICAL')
      .map((a: { rule: string; timestamp: string; duration_min: number }) => [a.rule, a.timestamp, a.duration_min]);
    expect(strong).toEqual([
      ['D-06', '2025-03-03 01:00:00', 5],
      ['F-02', '2025-03-02 10:00:00', 45],
    ]);
    const bad = pumpdeck('demo', '--out', dir, '--fault', 'melt@1:00:00+5');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown fault kind: melt');
  });
});
