import { useId } from 'react';

/**
 * A labelled text input that says at the field what is wrong with it, in plain words (issue 18):
 * the message sits under the input, tied to it for screen readers.
 */
export function Field({
  label,
  value,
  onChange,
  problem,
  inputMode,
  testId,
}: {
  label: React.ReactNode;
  value: string;
  onChange: (text: string) => void;
  problem: string | null;
  inputMode?: 'decimal' | 'numeric' | 'url' | 'text';
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={`${id}-input`}>{label}</label>
      <input
        id={`${id}-input`}
        value={value}
        inputMode={inputMode}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? id : undefined}
        data-testid={testId}
      />
      {problem && (
        <span id={id} className="field-error">
          {problem}
        </span>
      )}
    </div>
  );
}
