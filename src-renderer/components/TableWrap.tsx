import type { ReactNode } from 'react';

/**
 * A table that may scroll sideways on a narrow screen: a named region a keyboard user can focus
 * and scroll (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function TableWrap({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so the keyboard can scroll it
    <section className={`table-wrap ${className ?? ''}`} tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
