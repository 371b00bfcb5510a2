import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gaussian, seededRandom } from '../../src-shared/random';
import { formatTimestamp, parseTimestamp } from '../../src-shared/time';

// A pump's history of wear, failure and repair, as seed 000 files: hourly operational CSV,
// baseline and maintenance log. Flow and efficiency fall and power rises through each cycle,
// faster near its end; the pump fails, is down a day, and is repaired as new. For the model
// tests and bench:train, where the demo station's one run to failure is not enough.

export interface RunToFailureOptions {
  out: string;
  pump?: string;
  days: number;
  cycleDays?: number;
  seed?: number;
  start?: string;
}

export async function writeRunToFailure(
  options: RunToFailureOptions,
): Promise<{ operational: string; baselines: string; maintenance: string; failures: number }> {
  const pump = options.pump ?? 'Well 1';
  const cycle = options.cycleDays ?? 30;
  const random = seededRandom(options.seed ?? 3);
  const start = parseTimestamp(`${options.start ?? '2025-01-01'} 00:00`);
  const lines = ['Timestamp,Flow (gpm),Discharge Pressure (psi),Motor Power (hp),Pump Efficiency (%)'];
  const events = ['pump,date,kind,note'];
  let failures = 0;
  for (let h = 0; h < options.days * 24; h += 1) {
    const day = h / 24;
    const cycleIndex = Math.floor(day / (cycle + 1));
    const age = day - cycleIndex * (cycle + 1); // days since the last repair
    if (age >= cycle) continue; // down for a day after the failure
    const wear = (age / cycle) ** 2; // slow at first, faster toward the failure
    const noise = () => 1 + 0.006 * gaussian(random);
    const flow = 253 * (1 - 0.12 * wear) * noise();
    const head = 75.3 * (1 - 0.05 * wear) * noise();
    const power = 20.0 * (1 + 0.06 * wear) * noise();
    const efficiency = 60 * ((flow * head) / power / ((253 * 75.3) / 20.0));
    lines.push(
      [
        formatTimestamp(start + h * 3_600_000),
        flow.toFixed(2),
        head.toFixed(3),
        power.toFixed(3),
        efficiency.toFixed(3),
      ].join(','),
    );
    if (h % 24 === 23 && age + 1 / 24 >= cycle - 1 / 24) {
      events.push(`${pump},${formatTimestamp(start + (h + 1) * 3_600_000)},failure,wear-out`);
      events.push(`${pump},${formatTimestamp(start + (h + 25) * 3_600_000)},repair,rebuilt`);
      failures += 1;
    }
  }
  await mkdir(options.out, { recursive: true });
  const files = {
    operational: join(options.out, 'operational.csv'),
    baselines: join(options.out, 'baselines.csv'),
    maintenance: join(options.out, 'maintenance.csv'),
  };
  await writeFile(files.operational, `${lines.join('\n')}\n`);
  await writeFile(
    files.baselines,
    `well_id,pump_type,horsepower,application,baseline_flow_gpm,baseline_discharge_pressure_psi,baseline_power_hp,baseline_efficiency_percent\n${pump},Vertical turbine,24,Municipal Water and Wastewater,253,75.3,20.0,60\n`,
  );
  await writeFile(files.maintenance, `${events.join('\n')}\n`);
  return { ...files, failures };
}
