import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';

// Files the UI sends (browser mode cannot hand over a path) land here, one folder per upload.
const ROOT = join(tmpdir(), 'pumpdeck-uploads');
const PREFIX = 'upload:';

function safeName(name: string): string {
  const clean = basename(name).replace(/[^\w.\- ()[\]]/g, '_');
  if (!clean || clean === '.' || clean === '..') throw new ApiError('invalid_params', `invalid file name: ${name}`);
  return clean;
}

/** Appends one chunk at its offset; the first chunk (no uploadId) starts a new upload. */
export async function receiveChunk(params: {
  uploadId?: string;
  name: string;
  offset: number;
  chunk: string;
}): Promise<{ uploadId: string; file: string; bytes: number }> {
  const uploadId = params.uploadId ?? randomBytes(8).toString('hex');
  const name = safeName(params.name);
  const dir = join(ROOT, uploadId);
  if (params.uploadId && !existsSync(dir)) throw new ApiError('not_found', `unknown upload: ${params.uploadId}`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  const size = (await stat(path).catch(() => null))?.size ?? 0;
  if (params.offset !== size)
    throw new ApiError('invalid_params', `chunk at ${params.offset} but ${size} bytes received so far`);
  const handle = await open(path, params.offset === 0 ? 'w' : 'a');
  try {
    await handle.write(Buffer.from(params.chunk, 'base64'));
  } finally {
    await handle.close();
  }
  return { uploadId, file: `${PREFIX}${uploadId}/${name}`, bytes: (await stat(path)).size };
}

/** A file reference from the UI: an upload, or an absolute path on this machine. */
export function resolveFileRef(ref: string): string {
  if (ref.startsWith(PREFIX)) {
    const [id, name] = ref.slice(PREFIX.length).split('/');
    if (!/^[a-f0-9]{16}$/.test(id ?? '') || !name)
      throw new ApiError('invalid_params', `invalid file reference: ${ref}`);
    return join(ROOT, id, safeName(name));
  }
  if (!isAbsolute(ref)) throw new ApiError('invalid_params', `a file is an upload or an absolute path: ${ref}`);
  return ref;
}
