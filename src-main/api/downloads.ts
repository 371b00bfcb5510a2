import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { runFolder } from '../files/runFolders';

// Files built for the user (reports, edge artifacts) wait here until the UI reads them back in
// chunks: the same way over IPC and WebSocket, and no file path crosses to the browser. They live
// in this run's own folder (0700), removed when the process exits.

const root = () => runFolder('downloads');
const CHUNK = 768 * 1024;

/** The kinds of file the console hands out for download. */
const EXTENSIONS = ['pdf', 'zip', 'csv', 'parquet'] as const;

export function newDownloadPath(extension: (typeof EXTENSIONS)[number]): { id: string; path: string } {
  const id = randomBytes(8).toString('hex');
  return { id, path: join(root(), `${id}.${extension}`) };
}

function downloadPath(id: string): string {
  for (const extension of EXTENSIONS) {
    const path = join(root(), `${id}.${extension}`);
    if (existsSync(path)) return path;
  }
  throw new ApiError('not_found', `unknown download: ${id}`);
}

/** One base64 chunk of a built file from `offset`. */
export async function readDownloadChunk(
  id: string,
  offset: number,
): Promise<{ chunk: string; offset: number; bytes: number; done: boolean }> {
  const path = downloadPath(id);
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
