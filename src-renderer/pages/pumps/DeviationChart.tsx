import { useCallback } from 'react';
import type { PumpPerformance } from '../../../src-shared/api/contract';
import { CSS_PALETTE, statusColor } from '../../../src-shared/charts/palette';
import { deviationChart, type PumpEvent, statusStripChart } from '../../../src-shared/charts/performanceCharts';
import type { ParameterPerformance } from '../../../src-shared/performance/evaluate';
import type { PumpStatus } from '../../../src-shared/performance/tolerance';
import { PlotFigure } from '../../components/PlotFigure';

export function DeviationChart({
  performance,
  parameter,
  events,
}: {
  performance: PumpPerformance;
  parameter: ParameterPerformance;
  events: PumpEvent[];
}) {
  const options = useCallback(
    (width: number) => deviationChart(performance, parameter, CSS_PALETTE, width, 170, events),
    [performance, parameter, events],
  );
  return <PlotFigure options={options} label={`${parameter.parameter} deviation against its HI band`} />;
}

const STATUSES: PumpStatus[] = ['Normal', 'Warning', 'Critical', 'Failure'];

export function StatusStrip({ performance }: { performance: PumpPerformance }) {
  const options = useCallback((width: number) => statusStripChart(performance, CSS_PALETTE, width), [performance]);
  return (
    <>
      <PlotFigure options={options} label="Status by day" />
      <ul className="legend" aria-label="Status colours">
        {STATUSES.map((status) => (
          <li key={status}>
            <span className="swatch" style={{ background: statusColor(CSS_PALETTE, status) }} aria-hidden />
            {status}
          </li>
        ))}
      </ul>
    </>
  );
}
