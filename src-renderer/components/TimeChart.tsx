import * as Plot from '@observablehq/plot';
import { type PointerEvent, useEffect, useRef, useState } from 'react';
import { clockDateTime, timeAxisTick } from '../../src-shared/time';
import { useHourCycle } from '../clock';
import { useElementWidth } from '../useElementWidth';

export interface TimePoint {
  t: Date;
  v: number;
}

/**
 * A line chart over a time domain; dragging across it selects a range to zoom to. The drag lives
 * on the wrapper, with the figure's current x scale in a ref, so a redraw never breaks a drag.
 */
export function TimeChart({
  data,
  domain,
  label,
  color,
  height = 180,
  onZoom,
}: {
  data: TimePoint[];
  domain: [Date, Date];
  label: string;
  color: string;
  height?: number;
  onZoom?: (range: [Date, Date]) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const xScale = useRef<((px: number) => Date) | null>(null);
  const dragStart = useRef<number | null>(null);
  const width = useElementWidth(ref);
  const cycle = useHourCycle();
  const [selection, setSelection] = useState<[number, number] | null>(null);

  useEffect(() => {
    const node = ref.current;
    if (!node || width < 50) return;
    const figure = Plot.plot({
      width,
      height,
      marginLeft: 56,
      x: { type: 'time', domain, label: null, tickFormat: timeAxisTick(cycle) },
      y: { label: `↑ ${label}`, grid: true, nice: true },
      marks: [
        Plot.lineY(data, { x: 't', y: 'v', stroke: color, strokeWidth: 1.3 }),
        Plot.tip(
          data,
          Plot.pointerX({ x: 't', y: 'v', title: (d: TimePoint) => `${clockDateTime(d.t, cycle)}\n${d.v}` }),
        ),
      ],
    });
    const invert = (figure.scale('x') as { invert?: (px: number) => Date } | undefined)?.invert;
    xScale.current = invert ?? null;
    // The container is the image (role img, its label); Plot's inner marks carry aria-labels of
    // their own that screen readers should not walk.
    figure.setAttribute('aria-hidden', 'true');
    node.replaceChildren(figure);
    return () => figure.remove();
  }, [data, domain, width, height, label, color, cycle]);

  const px = (event: PointerEvent<HTMLDivElement>) => event.clientX - event.currentTarget.getBoundingClientRect().left;
  return (
    <div
      className="time-chart"
      // Capture phase: Plot's tip stops pointerdown from bubbling.
      onPointerDownCapture={(event) => {
        dragStart.current = px(event);
        setSelection([dragStart.current, dragStart.current]);
      }}
      onPointerMove={(event) => dragStart.current !== null && setSelection([dragStart.current, px(event)])}
      onPointerUp={(event) => {
        const start = dragStart.current;
        const end = px(event);
        dragStart.current = null;
        setSelection(null);
        if (start === null || Math.abs(end - start) < 8 || !xScale.current || !onZoom) return;
        onZoom([xScale.current(Math.min(start, end)), xScale.current(Math.max(start, end))]);
      }}
    >
      <div ref={ref} className="plot" role="img" aria-label={label} />
      {selection && (
        <div className="brush" style={{ left: Math.min(...selection), width: Math.abs(selection[1] - selection[0]) }} />
      )}
    </div>
  );
}
