import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';

// Built reports wait here until the UI reads them back in chunks (the same way over IPC and
// WebSocket, and no file path crosses to the browser).

const ROOT = join(tmpdir(), 'pumpdeck-reports');
const CHUNK = 768 * 1024;

export function newReportPath(extension: 'pdf' | 'zip'): { reportId: string; path: string } {
  const reportId = randomBytes(8).toString('hex');
  return { reportId, path: join(ROOT, `${reportId}.${extension}`) };
}

function reportPath(reportId: string): string {
  for (const extension of ['pdf', 'zip']) {
    const path = join(ROOT, `${reportId}.${extension}`);
    if (existsSync(path)) return path;
  }
  throw new ApiError('not_found', `unknown report: ${reportId}`);
}

/** One base64 chunk of a built report from `offset`. */
export async function readReportChunk(reportId: string, offset: number): Promise<{ chunk: string; offset: number; bytes: number; done: boolean }> {
  const path = reportPath(reportId);
  const bytes = (await stat(path)).size;
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, Math.min(CHUNK, bytes - offset)));
    await handle.read(buffer, 0, buffer.length, offset);
    return { chunk: buffer.toString('base64'), offset, bytes, done: offset + buffer.length >= bytes };
  } finally {
    await handle.close();
  }
}
