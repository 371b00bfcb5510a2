import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import { excerpt } from '../../src-shared/text/excerpt';
import { runFolder } from '../files/runFolders';

// The API reads only files the user chose: files the UI uploaded (browser mode cannot hand over a
// path), or paths the user picked in the desktop app's own file dialog, granted one by one. A
// caller cannot name a path on this machine (docs/security.md). Uploads live in this run's own
// folder (0700, files 0600), removed once imported and when the process exits.

const root = () => runFolder('uploads');
const UPLOAD = 'upload:';
const GRANT = 'grant:';
const ID = /^[a-f0-9]{16}$/;

/** Paths picked in a dialog, by grant id; a folder grant covers the files directly inside it. */
const grants = new Map<string, { path: string; folder: boolean }>();

function safeName(name: string): string {
  const clean = basename(name).replace(/[^\w.\- ()[\]]/g, '_');
  if (!clean || clean === '.' || clean === '..')
    throw new ApiError('invalid_params', `invalid file name: ${excerpt(name)}`);
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
  const dir = join(root(), uploadId);
  if (params.uploadId && !existsSync(dir)) throw new ApiError('not_found', `unknown upload: ${params.uploadId}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, name);
  const size = (await stat(path).catch(() => null))?.size ?? 0;
  if (params.offset !== size)
    throw new ApiError('invalid_params', `chunk at ${params.offset} but ${size} bytes received so far`);
  const handle = await open(path, params.offset === 0 ? 'w' : 'a', 0o600);
  try {
    await handle.write(Buffer.from(params.chunk, 'base64'));
  } finally {
    await handle.close();
  }
  return { uploadId, file: `${UPLOAD}${uploadId}/${name}`, bytes: (await stat(path)).size };
}

/** Grants the API access to a path the user picked in a dialog; returns the reference to call with. */
export function grantPath(path: string, folder = false): string {
  const id = randomBytes(8).toString('hex');
  grants.set(id, { path: resolve(path), folder });
  return `${GRANT}${id}`;
}

/** A file reference from the UI: an upload, a granted file, or a file inside a granted folder. */
export function resolveFileRef(ref: string): string {
  const refused = new ApiError('invalid_params', 'a file is one you uploaded or picked in PumpDeck, not a path');
  if (ref.startsWith(UPLOAD)) {
    const [id, name, ...rest] = ref.slice(UPLOAD.length).split('/');
    if (!ID.test(id ?? '') || !name || rest.length) throw refused;
    return join(root(), id, safeName(name));
  }
  if (ref.startsWith(GRANT)) {
    const [id, name, ...rest] = ref.slice(GRANT.length).split('/');
    const grant = ID.test(id ?? '') ? grants.get(id) : undefined;
    if (!grant || rest.length || (name !== undefined && !grant.folder)) throw refused;
    if (name === undefined) return grant.path;
    const inside = join(grant.path, safeName(name));
    if (!inside.startsWith(grant.path + sep)) throw refused;
    return inside;
  }
  throw refused;
}

/** Removes an uploaded file once it is imported (a granted path is the user's own and stays). */
export async function releaseUpload(ref: string | undefined): Promise<void> {
  if (!ref?.startsWith(UPLOAD)) return;
  const [id] = ref.slice(UPLOAD.length).split('/');
  if (ID.test(id ?? '')) await rm(join(root(), id), { recursive: true, force: true });
}
