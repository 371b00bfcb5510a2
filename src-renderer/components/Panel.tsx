import type { ReactNode } from 'react';

export function Panel({
  title,
  actions,
  children,
  className,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`panel ${className ?? ''}`} aria-label={title}>
      <header className="panel-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Stat({
  label,
  value,
  unit,
  testId,
  hint,
}: {
  label: string;
  value: string;
  unit?: string;
  testId?: string;
  hint?: string;
}) {
  return (
    <div className="stat" title={hint}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">
        <span data-testid={testId}>{value}</span>
        {unit && <span className="unit"> {unit}</span>}
      </div>
    </div>
  );
}

export function ErrorNote({ message }: { message: string }) {
  return (
    <div className="error-note" role="alert">
      {message}
    </div>
  );
}
