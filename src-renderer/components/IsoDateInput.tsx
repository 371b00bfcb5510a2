import { useEffect, useState } from 'react';
import { parseTimestamp } from '../../src-shared/time';

// Dates as the data writes them (2025-03-01, 2025-03-01 14:30), not the browser's locale
// (mm/dd/yyyy): one input for every date and time field of the console.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MINUTE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/;

/** Whether text is a real day (or minute): 2025-02-30 is not. */
function valid(text: string, withTime: boolean): boolean {
  return (withTime ? MINUTE : DAY).test(text) && !Number.isNaN(parseTimestamp(withTime ? text : `${text} 00:00`));
}

/**
 * A date (or date and time) typed as ISO. The value given and passed on is the one native date
 * inputs use ("2025-03-01", "2025-03-01T14:30"); a partial or impossible entry is kept in the
 * field and marked, not passed on.
 */
export function IsoDateInput({
  value,
  onChange,
  label,
  withTime = false,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
  withTime?: boolean;
  testId?: string;
}) {
  const shown = value.replace('T', ' ');
  const [draft, setDraft] = useState(shown);
  useEffect(() => setDraft(shown), [shown]);
  const wrong = draft.trim() !== '' && !valid(draft.trim(), withTime);
  return (
    <input
      type="text"
      className="iso-date"
      inputMode="numeric"
      aria-label={label}
      placeholder={withTime ? 'YYYY-MM-DD hh:mm' : 'YYYY-MM-DD'}
      title={withTime ? 'Date and time as 2025-03-01 14:30' : 'Date as 2025-03-01'}
      size={withTime ? 16 : 10}
      value={draft}
      aria-invalid={wrong || undefined}
      data-testid={testId}
      onChange={(e) => {
        const text = e.target.value;
        setDraft(text);
        const trimmed = text.trim();
        if (trimmed === '') onChange('');
        else if (valid(trimmed, withTime)) onChange(withTime ? trimmed.replace(' ', 'T') : trimmed);
      }}
    />
  );
}
