import { GRADE_NAMES } from '../../src-shared/performance/grades';

/** An HI 14.6 grade, or '' for the default the empty option names. */
export function GradeSelect({
  value,
  onChange,
  emptyLabel,
  testId,
}: {
  value: string;
  onChange: (grade: string) => void;
  emptyLabel: string;
  testId: string;
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{emptyLabel}</option>
      {GRADE_NAMES.map((g) => (
        <option key={g} value={g}>
          {g}
        </option>
      ))}
    </select>
  );
}
