import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';

// A query result of up to 100,000 rows: only the rows in view are in the DOM (TanStack Virtual),
// with spacer rows above and below so the scrollbar is true. Columns get fixed widths from the
// header and the first rows, so they do not jump while scrolling.

const ROW_HEIGHT = 24;
const SAMPLE = 200;

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function ResultTable({
  columns,
  rows,
  label,
}: {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  label: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const widths = useMemo(
    () =>
      columns.map((c, i) => {
        let chars = c.name.length + 2;
        for (const row of rows.slice(0, SAMPLE)) chars = Math.max(chars, cellText(row[i]).length);
        return Math.min(40, chars) * 0.62 + 1.2;
      }),
    [columns, rows],
  );
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div ref={scroller} className="result-scroll" data-testid="result-table">
      <table className="data result" aria-label={label} aria-rowcount={rows.length + 1}>
        <colgroup>
          {widths.map((w, i) => (
            <col key={columns[i].name + String(i)} style={{ width: `${w}em` }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={c.name + String(i)} title={c.type}>
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {top > 0 && <tr aria-hidden style={{ height: top }} />}
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <tr key={item.index} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                {row.map((v, i) => (
                  <td key={columns[i].name + String(i)} className={v === null ? 'null' : undefined}>
                    {cellText(v)}
                  </td>
                ))}
              </tr>
            );
          })}
          {bottom > 0 && <tr aria-hidden style={{ height: bottom }} />}
        </tbody>
      </table>
    </div>
  );
}
