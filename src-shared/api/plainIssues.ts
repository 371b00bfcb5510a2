import type { z } from 'zod';

// Validation in words an operator reads, at the field ("a whole number is needed", "at least 10"),
// instead of the schema's ("Invalid input: expected int, received number"). One error map for the
// API's answer and the forms that check a field before sending it. A message written in the
// schema itself (a URL's form) wins over these.

const KIND: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
};

const plural = (n: number | bigint, word: string) => `${n} ${word}${Number(n) === 1 ? '' : 's'}`;

/** A zod error map: the plain sentence for an issue, or undefined for zod's own. */
export function plainError(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const what = KIND[String(issue.expected)] ?? String(issue.expected);
      return `${what} is needed`;
    }
    case 'too_small': {
      const n = issue.minimum as number;
      if (issue.origin === 'string') return n <= 1 ? 'cannot be empty' : `at least ${plural(n, 'character')}`;
      if (issue.origin === 'array') return `at least ${plural(n, 'item')}`;
      return issue.inclusive ? `at least ${n}` : `more than ${n}`;
    }
    case 'too_big': {
      const n = issue.maximum as number;
      if (issue.origin === 'string') return `at most ${plural(n, 'character')}`;
      if (issue.origin === 'array') return `at most ${plural(n, 'item')}`;
      return issue.inclusive ? `at most ${n}` : `less than ${n}`;
    }
    case 'invalid_value':
      return `one of ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `not a field here: ${issue.keys.join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'not in the form expected here' : `not a valid ${issue.format}`;
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor} is needed`;
    default:
      return undefined;
  }
}

/** A form field's text as the number the API takes (empty: null, so "a number is needed"). */
export function numberOf(text: string): number | null {
  return text.trim() === '' ? null : Number(text.trim().replace(',', '.'));
}

/** What is wrong with one field's value against its schema, in plain words; null when it is fine. */
export function fieldProblem(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value, { error: plainError });
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'not valid');
}
