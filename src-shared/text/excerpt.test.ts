import { describe, expect, it } from 'vitest';
import { excerpt, excerptList } from './excerpt';

describe('excerpt', () => {
  it('quotes short text as it is', () => expect(excerpt('Flow (m3/h)')).toBe("'Flow (m3/h)'"));
  it('cuts long text', () => expect(excerpt('x'.repeat(100))).toBe(`'${'x'.repeat(40)}…'`));
  it('escapes control characters and quotes', () => expect(excerpt("a\nb'\u0000")).toBe("'a\\nb\\'\\u0000'"));
  it('lists a few names and counts the rest', () =>
    expect(excerptList(['a', 'b', 'c'], 2)).toBe("'a', 'b' and 1 more"));
});
