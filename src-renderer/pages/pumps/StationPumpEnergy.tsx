import * as Plot from '@observablehq/plot';
import { useCallback } from 'react';
import { ErrorNote, Panel } from '../../components/Panel';
import { PlotFigure } from '../../components/PlotFigure';
import { TableWrap } from '../../components/TableWrap';
import { fmt, toDate } from '../../format';
import { useApi } from '../../useApi';

/** Each pump's kWh per m³ at like head and speed (the estimator E-05 reads), against its best week. */
export function StationPumpEnergy() {
  const energy = useApi('performance.stationPumps', {});
  const options = useCallback(
    (width: number): Plot.PlotOptions => {
      const rows = (energy.data ?? []).flatMap((p) =>
        p.days.flatMap((d) =>
          d.changePct === null ? [] : [{ pump: p.pump, t: toDate(`${d.date} 12:00:00`), v: d.changePct }],
        ),
      );
      return {
        width,
        height: 220,
        marginLeft: 48,
        x: { type: 'time', label: null },
        y: { label: '↑ kWh/m³ change against its best week, %', grid: true },
        color: { legend: true, scheme: 'tableau10' },
        marks: [
          Plot.ruleY([0], { stroke: 'var(--muted)' }),
          Plot.lineY(rows, { x: 't', y: 'v', stroke: 'pump', tip: true }),
        ],
      };
    },
    [energy.data],
  );
  return (
    <Panel title="Pumps: specific energy at like head">
      <p className="muted small">
        Each pump's flow comes from its own meter, else from the station meter by least squares over the pumps running
        together; flow and power are taken at the middle of the operating band and full speed, so a low wet well or a
        slowed drive is not read as wear. Each day uses the shortest window (1, 3 or 7 days) that tells. The reference
        is the pump's best week in the last 90 days, the one E-05 compares with. See docs/performance.md.
      </p>
      {energy.error && <ErrorNote message={energy.error.message} />}
      {energy.data && (
        <>
          <PlotFigure options={options} label="Specific energy change per pump" />
          <TableWrap label="Station pumps table">
            <table className="data" data-testid="station-energy">
              <thead>
                <tr>
                  <th>Pump</th>
                  <th>Reference kWh/m³</th>
                  <th>Best week</th>
                  <th>Now kWh/m³</th>
                  <th>Change %</th>
                  <th>Trend %/week (95 %)</th>
                </tr>
              </thead>
              <tbody>
                {energy.data.map((p) => (
                  <tr key={p.pump}>
                    <td>{p.pump}</td>
                    <td>{fmt(p.reference, 4)}</td>
                    <td>
                      {p.referencePeriod
                        ? `${p.referencePeriod.from} .. ${p.referencePeriod.to}`
                        : p.tooShort
                          ? 'too short to judge wear (under a week of estimates)'
                          : '—'}
                    </td>
                    <td>{fmt(p.current, 4)}</td>
                    <td>{fmt(p.changePct, 2)}</td>
                    <td>
                      {fmt(p.trendPerWeek, 2)} ({fmt(p.trendPerWeekLow, 2)} .. {fmt(p.trendPerWeekHigh, 2)})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </Panel>
  );
}
