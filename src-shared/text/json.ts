import { ApiError } from '../api/errors';

/**
 * JSON.parse for a user's file: a failure names the file and, where the parser says, the line and
 * column, but never quotes the content (V8's message does, e.g. `"root:x:0:0"... is not valid JSON`).
 */
export function parseJsonFile(text: string, name: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const position = /at position (\d+)/.exec((error as Error).message);
    if (!position) throw new ApiError('bad_input', `${name}: not valid JSON`);
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new ApiError('bad_input', `${name}: line ${line}, column ${column}: not valid JSON`, { line, column });
  }
}
