import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';
import { onClock, useHourCycle } from '../clock';
import { useElementWidth } from '../useElementWidth';

/** Renders an Observable Plot spec at the width of its container, redrawn on resize. */
export function PlotFigure({ options, label }: { options: (width: number) => Plot.PlotOptions; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useElementWidth(ref);
  const cycle = useHourCycle();

  useEffect(() => {
    const node = ref.current;
    if (!node || width < 50) return;
    const figure = Plot.plot({ ...onClock(options(width), cycle), width });
    // The container is the image (role img, its label); Plot's inner marks carry aria-labels of
    // their own that screen readers should not walk.
    figure.setAttribute('aria-hidden', 'true');
    node.replaceChildren(figure);
    return () => figure.remove();
  }, [options, width, cycle]);

  return <div ref={ref} className="plot" role="img" aria-label={label} />;
}
