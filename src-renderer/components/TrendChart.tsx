import * as Plot from '@observablehq/plot';
import { type PointerEvent, useEffect, useRef, useState } from 'react';
import type { RunSpell, TimePoint } from '../../src-shared/charts/stationCharts';
import { timeAxisTick } from '../../src-shared/time';
import { useHourCycle } from '../clock';
import { useElementWidth } from '../useElementWidth';

// One trend chart of the trend tool: several traces on a shared axis (one unit), or states as
// lanes; alarm episodes shaded and maintenance events marked; a crosshair shared by every chart
// (drawn as an overlay, so moving it never redraws a chart); dragging across selects a range.

export interface Trace {
  key: string;
  label: string;
  color: string;
  /** With a break (NaN) at each gap. */
  points: TimePoint[];
  /** States: when it was on (a lane's bars). */
  spells?: RunSpell[];
}

export interface Episode {
  from: Date;
  to: Date;
  label: string;
}

export interface Marker {
  t: Date;
  label: string;
}

export function TrendChart({
  traces,
  domain,
  label,
  yLabel,
  lanes = false,
  episodes,
  markers,
  hover,
  onHover,
  onZoom,
}: {
  traces: Trace[];
  domain: [Date, Date];
  label: string;
  yLabel: string;
  /** States: one lane per trace, a bar where it is on. */
  lanes?: boolean;
  episodes: Episode[];
  markers: Marker[];
  hover: Date | null;
  onHover: (t: Date | null) => void;
  onZoom: (range: [Date, Date]) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const scale = useRef<{ apply: (d: Date) => number; invert: (px: number) => Date } | null>(null);
  const dragStart = useRef<number | null>(null);
  const width = useElementWidth(ref);
  const cycle = useHourCycle();
  const [selection, setSelection] = useState<[number, number] | null>(null);

  useEffect(() => {
    const node = ref.current;
    if (!node || width < 50) return;
    const shading = Plot.rectX(episodes, { x1: 'from', x2: 'to', fill: 'var(--crit)', fillOpacity: 0.1 });
    const events = [
      Plot.ruleX(markers, { x: 't', stroke: 'var(--warn)', strokeWidth: 1.5 }),
      Plot.text(markers, {
        x: 't',
        text: 'label',
        frameAnchor: 'top',
        dy: 4,
        dx: 3,
        textAnchor: 'start',
        fill: 'var(--warn)',
      }),
    ];
    const x = { type: 'time' as const, domain, label: null, tickFormat: timeAxisTick(cycle) };
    const figure = lanes
      ? Plot.plot({
          width,
          height: 40 + traces.length * 24,
          marginTop: 8,
          marginBottom: 30,
          marginLeft: 120,
          x,
          y: { domain: traces.map((t) => t.label), label: null, tickSize: 0 },
          marks: [
            shading,
            ...traces.map((t) =>
              Plot.barX(t.spells ?? [], { x1: 'from', x2: 'to', y: 'pump', fill: t.color, inset: 2 }),
            ),
            ...events,
          ],
        })
      : Plot.plot({
          width,
          height: 190,
          marginLeft: 56,
          x,
          y: { label: `↑ ${yLabel}`, grid: true, nice: true },
          marks: [
            shading,
            ...traces.map((t) => Plot.lineY(t.points, { x: 't', y: 'v', stroke: t.color, strokeWidth: 1.3 })),
            ...events,
          ],
        });
    const xs = figure.scale('x') as { apply?: (d: Date) => number; invert?: (px: number) => Date } | undefined;
    scale.current = xs?.apply && xs.invert ? { apply: xs.apply, invert: xs.invert } : null;
    // The container is the image (role img, its label); Plot's inner marks carry aria-labels of
    // their own that screen readers should not walk.
    figure.setAttribute('aria-hidden', 'true');
    node.replaceChildren(figure);
    return () => figure.remove();
  }, [traces, domain, width, lanes, yLabel, episodes, markers, cycle]);

  const px = (event: PointerEvent<HTMLDivElement>) => event.clientX - event.currentTarget.getBoundingClientRect().left;
  const crosshair = hover && scale.current ? scale.current.apply(hover) : null;
  return (
    <div
      className="time-chart"
      onPointerDownCapture={(event) => {
        dragStart.current = px(event);
        setSelection([dragStart.current, dragStart.current]);
      }}
      onPointerMove={(event) => {
        const at = px(event);
        if (dragStart.current !== null) setSelection([dragStart.current, at]);
        const t = scale.current?.invert(at);
        onHover(t && t >= domain[0] && t <= domain[1] ? t : null);
      }}
      onPointerLeave={() => onHover(null)}
      onPointerUp={(event) => {
        const start = dragStart.current;
        const end = px(event);
        dragStart.current = null;
        setSelection(null);
        if (start === null || Math.abs(end - start) < 8 || !scale.current) return;
        onZoom([scale.current.invert(Math.min(start, end)), scale.current.invert(Math.max(start, end))]);
      }}
    >
      <div ref={ref} className="plot" role="img" aria-label={label} />
      {crosshair !== null && <div className="crosshair" style={{ left: crosshair }} />}
      {selection && (
        <div className="brush" style={{ left: Math.min(...selection), width: Math.abs(selection[1] - selection[0]) }} />
      )}
    </div>
  );
}
