import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../src-main/api/handlers';
import { pumpModels } from '../src-main/demo/stationSim';
import { createDemoProject, type Project } from '../src-main/project';
import { ApiClient } from '../src-shared/api/client';
import type { FleetRow, PumpPerformance } from '../src-shared/api/contract';
import { ApiHost } from '../src-shared/api/host';
import { connectInMemory } from '../src-shared/api/inMemory';
import { formatDay, formatTimestamp, parseTimestamp } from '../src-shared/time';
import { pumpdeck, tempDir } from './helpers';

// Pump performance end to end: real files through the real CLI into a real DuckDB file, and the
// console's calls through the typed client.

const DAY = 86_400_000;
const START = parseTimestamp('2025-03-01 00:00');

/** A seed 000 operational CSV: hourly, flow falling 0.5 %/day from its baseline, the rest steady. */
function degradingPumpCsv(path: string, days: number, perDay = 0.005): void {
  const lines = ['Timestamp,Flow (gpm),Discharge Pressure (psi),Motor Power (hp),Pump Efficiency (%)'];
  for (let t = START; t < START + days * DAY; t += 3_600_000) {
    const d = (t - START) / DAY;
    const wobble = 1 + 0.002 * Math.sin(t / 3_600_000);
    lines.push(
      [
        formatTimestamp(t),
        (253 * (1 - perDay * d) * wobble).toFixed(3),
        (75.31 * wobble).toFixed(3),
        (20.04 * wobble).toFixed(3),
        (60 * wobble).toFixed(3),
      ].join(','),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function json<T>(result: { code: number | null; out: string; err: string }): T {
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.out) as T;
}

describe('performance CLI on a degrading pump', () => {
  const dir = tempDir();
  const db = join(dir, 'well.duckdb');

  beforeAll(() => {
    degradingPumpCsv(join(dir, 'well1.csv'), 40);
    writeFileSync(
      join(dir, 'baseline.csv'),
      'well_id,pump_type,horsepower,application,baseline_flow_gpm,baseline_discharge_pressure_psi,baseline_power_hp,baseline_efficiency_percent\nWell 1,Unknown - 4 Line Pump,24,API 610 service,253,75.31,20.04,60\n',
    );
    expect(pumpdeck('ingest', '--db', db, '--baselines', join(dir, 'baseline.csv')).code).toBe(0);
    expect(pumpdeck('ingest', '--db', db, '--wide', join(dir, 'well1.csv'), '--pump', 'Well 1').code).toBe(0);
  });

  it('prints grade, baseline, current, deviation, band, status, first exceedance, trend and crossing', () => {
    const p = json<PumpPerformance>(pumpdeck('performance', '--db', db, '--pump', 'Well 1', '--json'));
    expect(p.grade).toBe('1B'); // API service, from the application as seed 000 chooses
    expect(p.gradeSource).toBe('application');
    expect(p.status).toBe('Failure'); // 40 days at −0.5 %/day: −19.5 %, severity 3.9
    const flow = p.parameters.find((x) => x.parameter === 'flow')!;
    const last = json<Array<{ flow: number }>>(
      pumpdeck(
        'query',
        '--db',
        db,
        '--sql',
        `SELECT median(flow) AS flow FROM (SELECT flow FROM pump_operational ORDER BY "Timestamp" DESC LIMIT 12)`,
        '--json',
      ),
    )[0];
    // Hourly readings: the 60-minute window grows to hold 12 of them; the current value is their median.
    expect(p.windowMinutes).toBe(720);
    expect(flow.current).toBeCloseTo(last.flow, 9);
    expect(flow.deviation).toBeCloseTo(((last.flow - 253) / 253) * 100, 9);
    expect(flow.band).toEqual({ lower: -5, upper: 5 });
    expect(flow.state).toBe('below');
    expect(Math.abs(parseTimestamp(flow.firstExceedance!) - (START + 10 * DAY))).toBeLessThanOrEqual(DAY);
    expect(flow.trend!.perWeek).toBeCloseTo(-3.5, 1);
    expect(flow.crossing!.days).toBe(0);
    expect(p.parameters.find((x) => x.parameter === 'head')!.state).toBe('in');
    expect(p.daily).toHaveLength(40);
  });

  it('--grade and --to: a projection 10 days before 2B is crossed lands within 3 days', () => {
    const p = json<PumpPerformance>(
      pumpdeck(
        'performance',
        '--db',
        db,
        '--pump',
        'Well 1',
        '--grade',
        '2B',
        '--to',
        formatDay(START + 5 * DAY),
        '--json',
      ),
    );
    expect(p.gradeSource).toBe('requested');
    expect(p.status).toBe('Normal');
    const flow = p.parameters.find((x) => x.parameter === 'flow')!;
    expect(Math.abs(Date.parse(flow.crossing!.date) - (START + 16 * DAY)) / DAY).toBeLessThanOrEqual(3);
  });

  it('the fleet: worst status first, then among equals the pump that leaves its band soonest, whatever its name (issue 18)', () => {
    const fleetDb = join(dir, 'fleet.duckdb');
    const row = (id: string) => `${id},Unknown - 4 Line Pump,24,API 610 service,253,75.31,20.04,60`;
    writeFileSync(
      join(dir, 'fleet-baselines.csv'),
      `well_id,pump_type,horsepower,application,baseline_flow_gpm,baseline_discharge_pressure_psi,baseline_power_hp,baseline_efficiency_percent\n${['Well 0', 'Well 1', 'Well 2'].map(row).join('\n')}\n`,
    );
    expect(pumpdeck('ingest', '--db', fleetDb, '--baselines', join(dir, 'fleet-baselines.csv')).code).toBe(0);
    // Well 0 steady, Well 2 wearing slowly (still in band), Well 1 long past its band.
    for (const [id, perDay, days] of [
      ['Well 0', 0, 14],
      ['Well 2', 0.002, 14],
      ['Well 1', 0.005, 40],
    ] as const) {
      degradingPumpCsv(join(dir, `${id}.csv`), days, perDay);
      expect(pumpdeck('ingest', '--db', fleetDb, '--wide', join(dir, `${id}.csv`), '--pump', id).code).toBe(0);
    }
    const fleet = json<FleetRow[]>(pumpdeck('performance', '--db', fleetDb, '--fleet', '--json'));
    expect(fleet.map((r) => [r.pump, r.status])).toEqual([
      ['Well 1', 'Failure'],
      ['Well 2', 'Normal'],
      ['Well 0', 'Normal'],
    ]);
    expect(fleet[1].nextCrossing).toMatchObject({ parameter: 'flow', days: expect.any(Number) });
    expect(fleet[2].nextCrossing).toBeNull();
    // Each names the parameter nearest its band's edge, not "—" because all are inside.
    expect(fleet[1].worstParameter).toBe('flow');
    expect(fleet[1].worstBandUse).toBeGreaterThan(0.1);
    expect(fleet[1].worstBandUse).toBeLessThan(1);
    expect(fleet[0].worstBandUse).toBeGreaterThan(1);
  });

  it('refuses a pump without a baseline and a bad grade, with exit codes 1 and 2', () => {
    const missing = pumpdeck('performance', '--db', db, '--pump', 'Well 9', '--json');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no baseline for pump Well 9');
    const grade = pumpdeck('performance', '--db', db, '--pump', 'Well 1', '--grade', '4X');
    expect(grade.code).toBe(2);
    expect(grade.err).toContain('invalid --grade: 4X');
  });
});

describe('performance through the API on the demo station', () => {
  const dir = tempDir();
  let project: Project;
  let api: ApiClient;

  beforeAll(async () => {
    project = await createDemoProject({ dir, days: 21, seed: 4 });
    api = new ApiClient(connectInMemory(new ApiHost(createHandlers({ version: 't', project: () => project }))));
  });
  afterAll(() => project.db.close());

  it('lists the six pumps with their baselines, worst first, healthy against a commissioning baseline', async () => {
    const fleet = await api.call('performance.fleet', {});
    expect(fleet.map((r) => r.pump).sort()).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6']);
    expect(fleet.every((r) => r.grade === '2B' && r.gradeSource === 'baseline' && r.readings > 100)).toBe(true);
    const rank = ['Failure', 'Critical', 'Warning', 'Normal'];
    expect(fleet.map((r) => rank.indexOf(r.status!))).toEqual(
      [...fleet.map((r) => rank.indexOf(r.status!))].sort((a, b) => a - b),
    );
  });

  it('takes a baseline from a period: the medians of that period, kept grade, and the status follows', async () => {
    const record = await api.call('performance.baselineFromPeriod', {
      pump: 'P2',
      from: '2025-03-08',
      to: '2025-03-14',
    });
    const sql = await project.db.one<{ flow: number; head: number; power: number; efficiency: number }>(
      `SELECT median(flow) AS flow, median(head) AS head, median(power) AS power, median(efficiency) AS efficiency FROM pump_operational
       WHERE pump = 'P2' AND "Timestamp" BETWEEN '2025-03-08' AND '2025-03-14 23:59:59'`,
    );
    expect(record).toMatchObject({
      baseline_flow_gpm: sql!.flow,
      baseline_discharge_pressure_psi: sql!.head,
      baseline_power_hp: sql!.power,
      baseline_efficiency_percent: sql!.efficiency,
      tolerance_grade: '2B',
      source: 'period 2025-03-08 .. 2025-03-14',
    });
    const p = await api.call('performance.pump', { pump: 'P2' });
    expect(p.baseline.source).toBe('period 2025-03-08 .. 2025-03-14');
    await expect(
      api.call('performance.baselineFromPeriod', { pump: 'P2', from: '2024-01-01', to: '2024-01-02' }),
    ).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('pump P2 has 0 readings in 2024-01-01 .. 2024-01-02'),
    });
  });

  it('edits a baseline and its grade; a bad value is refused naming the field and nothing changes', async () => {
    const before = await api.call('performance.pump', { pump: 'P3' });
    const edited = await api.call('performance.setBaseline', {
      well_id: 'P3',
      baseline_flow_gpm: before.baseline.baseline_flow_gpm * 1.2,
      tolerance_grade: '1B',
    });
    expect(edited.source).toBe('edited');
    const after = await api.call('performance.pump', { pump: 'P3' });
    expect(after.grade).toBe('1B');
    expect(after.parameters[0].deviation!).toBeLessThan(-15);
    expect(after.status).toBe('Failure');
    await expect(
      api.call('performance.setBaseline', { well_id: 'P3', tolerance_grade: '7Z' as '1B' }),
    ).rejects.toMatchObject({ code: 'invalid_params' });
    await expect(api.call('performance.setBaseline', { well_id: 'P9', baseline_flow_gpm: 10 })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('baseline of P9: field horsepower'),
    });
    expect((await api.call('performance.baselines', {})).map((b) => b.well_id)).not.toContain('P9');
  });

  it('station pumps: each pump flow estimated from the station meter is within 1.5 % of the simulator, and feeds pump_health', async () => {
    const energy = await api.call('performance.stationPumps', {});
    const models = pumpModels(4);
    expect(energy).toHaveLength(6);
    for (const [i, pump] of energy.entries()) {
      const last = pump.days[pump.days.length - 1];
      const day = (Date.parse(last.date) - START) / DAY;
      const truth = models[i].flowAlone * (1 - models[i].wearPerDay * day);
      expect(Math.abs(last.flow / truth - 1)).toBeLessThan(0.015);
      expect(last.specificEnergy).toBeCloseTo(last.kw / last.flow, 12);
      expect(pump.reference).toBeGreaterThan(0);
      // pump_health's flow per kWh (built at ingest) is the same estimate: one estimator, one number.
      const health = await project.db.one<{ m3PerKwh: number }>(
        `SELECT avg_flow_per_kwh AS "m3PerKwh" FROM pump_health WHERE pump = ? AND date = ?::DATE`,
        [pump.pump, last.date],
      );
      expect(health!.m3PerKwh).toBeCloseTo(1 / last.specificEnergy, 12);
    }
  });
});

describe('a new lift station: baselines proposed from the quietest days of the historian (issue 34)', () => {
  const dir = tempDir();
  const db = join(dir, 'lift.duckdb');

  beforeAll(() => {
    expect(pumpdeck('demo', '--station', 'lift', '--out', join(dir, 'ls07'), '--days', '24', '--seed', '3').code).toBe(
      0,
    );
    const ingest = ['ingest', '--db', db];
    expect(
      pumpdeck(...ingest, '--historian', join(dir, 'ls07/LS07_15min.csv'), '--station', join(dir, 'ls07/station.json'))
        .code,
    ).toBe(0);
    expect(pumpdeck(...ingest, '--maintenance', join(dir, 'ls07/maintenance.csv')).code).toBe(0);
  }, 120_000);

  it('proposes a clear week per pump at full speed (no head), says why not for the rest, and --take makes a fleet that is Normal', () => {
    type Proposal = {
      pump: string;
      source: string;
      period: { from: string; to: string; readings: number } | null;
      values: { flow: number; head: number | null; power: number } | null;
      reason: string | null;
    };
    const { proposals, taken } = json<{ proposals: Proposal[]; taken: Array<{ well_id: string; source: string }> }>(
      pumpdeck('performance', '--db', db, '--propose-baselines', '--take', '--json'),
    );
    const p13 = proposals.find((p) => p.pump === 'P1.3');
    // Its repair on 03-21 follows ten days of ragging: the proposal ends before them.
    expect(p13?.period).toMatchObject({ from: '2025-03-04', to: '2025-03-10' });
    expect(p13?.source).toBe('historian');
    expect(p13?.values?.head).toBeNull();
    // 300 m³/h at full speed, kept in gpm (the recorded unit): 1,300 ± 10 %.
    expect(p13?.values?.flow).toBeGreaterThan(1170);
    expect(p13?.values?.flow).toBeLessThan(1430);
    // The big pumps barely run: no week serves, and it says why.
    for (const pump of ['P2.1', 'P2.2', 'P2.3', 'P2.4'])
      expect(proposals.find((p) => p.pump === pump)?.reason).toMatch(
        /readings at full speed with flow and power: too few/,
      );
    expect(taken.map((b) => b.well_id).sort()).toEqual(['P1.1', 'P1.2', 'P1.3', 'P1.4']);
    // Healthy pumps against their own quietest week: none is out of band (an alarm on a healthy station is a defect).
    const fleet = json<FleetRow[]>(pumpdeck('performance', '--db', db, '--fleet', '--json'));
    expect(fleet.map((r) => [r.pump, r.status, r.grade])).toEqual(
      expect.arrayContaining(['P1.1', 'P1.2', 'P1.3', 'P1.4'].map((pump) => [pump, 'Normal', '2B'])),
    );
    const p = json<PumpPerformance>(pumpdeck('performance', '--db', db, '--pump', 'P1.3', '--json'));
    expect(p.parameters.find((x) => x.parameter === 'head')).toMatchObject({ baseline: null, deviation: null });
    expect(p.efficiencyDerived).toBe(false);
  }, 120_000);

  it('a baseline file may leave head and efficiency empty: stored as NULL, never 0, and not judged', () => {
    writeFileSync(
      join(dir, 'big.csv'),
      'well_id,pump_type,horsepower,application,baseline_flow_gpm,baseline_discharge_pressure_psi,baseline_power_hp,baseline_efficiency_percent\nP2.1,Submersible,120,Municipal wastewater lift,3100,,95,\n',
    );
    expect(pumpdeck('ingest', '--db', db, '--baselines', join(dir, 'big.csv')).code).toBe(0);
    const p = json<PumpPerformance>(pumpdeck('performance', '--db', db, '--pump', 'P2.1', '--json'));
    expect(p.baseline).toMatchObject({ baseline_discharge_pressure_psi: null, baseline_efficiency_percent: null });
    expect(p.parameters.find((x) => x.parameter === 'efficiency')).toMatchObject({ baseline: null, deviation: null });
  });
});
