import * as Plot from '@observablehq/plot';
import { useEffect, useRef, useState } from 'react';

/** Renders an Observable Plot spec at the width of its container, redrawn on resize. */
export function PlotFigure({ options, label }: { options: (width: number) => Plot.PlotOptions; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const node = ref.current;
    if (!node || width < 50) return;
    const figure = Plot.plot({ ...options(width), width });
    node.replaceChildren(figure);
    return () => figure.remove();
  }, [options, width]);

  return <div ref={ref} className="plot" role="img" aria-label={label} />;
}
