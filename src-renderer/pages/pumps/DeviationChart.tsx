import { useCallback } from 'react';
import type { PumpPerformance } from '../../../src-shared/api/contract';
import { CSS_PALETTE } from '../../../src-shared/charts/palette';
import { deviationChart, statusStripChart } from '../../../src-shared/charts/performanceCharts';
import type { ParameterPerformance } from '../../../src-shared/performance/evaluate';
import { PlotFigure } from '../../components/PlotFigure';

export function DeviationChart({
  performance,
  parameter,
}: {
  performance: PumpPerformance;
  parameter: ParameterPerformance;
}) {
  const options = useCallback(
    (width: number) => deviationChart(performance, parameter, CSS_PALETTE, width),
    [performance, parameter],
  );
  return <PlotFigure options={options} label={`${parameter.parameter} deviation against its HI band`} />;
}

export function StatusStrip({ performance }: { performance: PumpPerformance }) {
  const options = useCallback((width: number) => statusStripChart(performance, CSS_PALETTE, width), [performance]);
  return <PlotFigure options={options} label="Status by day" />;
}
