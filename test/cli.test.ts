import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempDir } from './helpers';

// The real CLI as a user runs it (bin/pumpdeck after npm run build).
function pumpdeck(...args: string[]) {
  const result = spawnSync(join(REPO, 'bin/pumpdeck'), args, { encoding: 'utf8', env: { ...process.env, PUMPDECK_HOME: tempDir() } });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('bin/pumpdeck', () => {
  it('is built (npm run build)', () => {
    expect(existsSync(join(REPO, 'out/cli/pumpdeck.mjs'))).toBe(true);
  });

  it('--help lists the commands and exits 0; no command is a usage error (2)', () => {
    const help = pumpdeck('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/demo .*\n.*ingest .*\n.*query .*\n.*serve /);
    expect(pumpdeck().code).toBe(2);
    expect(pumpdeck('frobnicate').code).toBe(2);
  });

  it.each(['demo', 'ingest', 'query', 'serve'])('%s --help prints its usage and exits 0', (command) => {
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
    expect(readdirSync(a).sort()).toEqual(['baselines.csv', 'historian.csv', 'operational', 'station.json']);
    expect(readdirSync(join(a, 'operational')).sort()).toEqual(['P1.csv', 'P2.csv', 'P3.csv', 'P4.csv', 'P5.csv', 'P6.csv']);
    expect(readFileSync(join(a, 'historian.csv'), 'utf8')).toBe(readFileSync(join(b, 'historian.csv'), 'utf8'));
    const historian = readFileSync(join(a, 'historian.csv'), 'utf8').trim().split('\n');
    expect(historian[0]).toBe('Timestamp,Marker,TagIndex,Value');
    expect(historian).toHaveLength(1 + 2 * 1440 * 27);
    expect(historian[1]).toMatch(/^2025-03-01 00:00:00,B,0,/);
    const station = JSON.parse(readFileSync(join(a, 'station.json'), 'utf8'));
    expect(Object.keys(station)).toEqual(expect.arrayContaining(['rated_kw', 'hlt_physical_max', 'fit101_physical_max', 'daily_energy_budget_kwh']));
    expect(readFileSync(join(a, 'baselines.csv'), 'utf8').split('\n')[0]).toBe(
      'well_id,pump_type,horsepower,application,baseline_flow_gpm,baseline_discharge_pressure_psi,baseline_power_hp,baseline_efficiency_percent',
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
    const ok = pumpdeck('ingest', '--db', join(dir, 's.duckdb'), '--historian', join(dir, 'historian.csv'), '--station', join(dir, 'station.json'), '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ rowsRead: 1440 * 27, rowsKept: 1440 * 27, minutes: 1440, first: '2025-03-01 00:00:00', last: '2025-03-01 23:59:00' });
    const missing = pumpdeck('ingest', '--db', join(dir, 's.duckdb'), '--historian', join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.csv');
  });
});
