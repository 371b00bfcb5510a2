import { ident } from '../sql/quote';
import type { Signal, StationModel } from './model';
import { RUNNING_AT } from './signals';
import { unitFactor } from './units';

// The station model's signals as SQL over readings_wide, in one unit each (flow m³/h, power kW,
// volume m³, the level in its own unit): the same reading as signals.ts does in JS for the derived
// columns and the alert engine (a test holds the two together). A role whose tag is not (yet) a
// column of readings_wide reads NULL. Pure: the ingest, the queries and the Ask intents build on it
// (src-main/ingest/stationSql.ts reads the columns from a database).

export class StationSql {
  private readonly columns: Set<string>;

  /** `columns`: readings_wide's raw tag columns. */
  constructor(
    readonly model: StationModel,
    columns: Iterable<string>,
  ) {
    this.columns = new Set([...columns].map((c) => c.toLowerCase()));
  }

  private has(signal: Signal | undefined): signal is Signal {
    return signal !== undefined && this.columns.has(signal.tag.toLowerCase());
  }

  /** Whether a raw tag is a column of readings_wide. */
  hasColumn(tag: string | undefined): boolean {
    return tag !== undefined && this.columns.has(tag.toLowerCase());
  }

  private scaled(signal: Signal | undefined, kind: Parameters<typeof unitFactor>[0]): string {
    if (!this.has(signal)) return 'NULL::DOUBLE';
    const factor = unitFactor(kind, signal.unit) ?? 1;
    return factor === 1 ? ident(signal.tag) : `(${ident(signal.tag)} * ${factor})`;
  }

  /** Station flow (m³/h): the flow meter, else the sum of the pumps' meters (NULL when none reads). */
  get flow(): string {
    if (this.model.flow) return this.scaled(this.model.flow, 'flow');
    const pumps = this.model.pumps.filter((p) => this.has(p.flow)).map((p) => this.scaled(p.flow, 'flow'));
    if (pumps.length === 0) return 'NULL::DOUBLE';
    return `CASE WHEN coalesce(${pumps.join(', ')}) IS NULL THEN NULL ELSE ${pumps.map((p) => `coalesce(${p}, 0)`).join(' + ')} END`;
  }

  /** The inflow meter (m³/h), NULL without one. */
  get inflow(): string {
    return this.scaled(this.model.inflow, 'flow');
  }

  /** The energy price per kWh from the price tag, NULL without one. */
  get price(): string {
    return this.scaled(this.model.price, 'price');
  }

  get level(): string {
    return this.has(this.model.level) ? ident(this.model.level.tag) : 'NULL::DOUBLE';
  }

  /** The day total (m³). */
  get dayTotal(): string {
    return this.scaled(this.model.day_total, 'volume');
  }

  get hasDayTotal(): boolean {
    return this.has(this.model.day_total);
  }

  /** Pump k runs (a missing run state is not running): BOOLEAN, never NULL. */
  run(k: number): string {
    const run = this.model.pumps[k].run;
    if (!this.has(run)) return 'FALSE';
    const test = run.above === undefined ? `>= ${RUNNING_AT}` : `> ${run.above}`;
    return `coalesce(${ident(run.tag)} ${test}, FALSE)`;
  }

  /** Pump k's power (kW). */
  kw(k: number): string {
    return this.scaled(this.model.pumps[k].kw, 'power');
  }

  /** Pump k's speed in its own unit (Hz), NULL for a fixed-speed pump. */
  hz(k: number): string {
    const hz = this.model.pumps[k].hz;
    return this.has(hz) ? ident(hz.tag) : 'NULL::DOUBLE';
  }

  /** Pump k's own flow meter (m³/h), NULL without one. */
  pumpFlow(k: number): string {
    return this.scaled(this.model.pumps[k].flow, 'flow');
  }

  /** Minutes a row stands for (rows stored before it was kept stood for one). */
  readonly weight = 'coalesce(interval_min, 1)';

  /** A gap longer than this ends a pump session: 5 minutes, or two logging intervals. */
  get sessionGapMinutes(): number {
    return Math.max(5, 2 * Math.max(1, this.model.interval_min));
  }

  get pumpIds(): string[] {
    return this.model.pumps.map((p) => p.id);
  }
}
