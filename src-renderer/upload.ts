import { api } from './api';

const CHUNK = 512 * 1024;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Sends a picked or dropped file to the main side in chunks; resolves with its file reference. */
export async function uploadFile(
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  let uploadId: string | undefined;
  let ref = '';
  if (file.size === 0) {
    const result = await api.call('import.upload', { name: file.name, offset: 0, chunk: '' });
    return result.file;
  }
  for (let offset = 0; offset < file.size; offset += CHUNK) {
    if (signal?.aborted) throw new Error('upload cancelled');
    const bytes = new Uint8Array(await file.slice(offset, offset + CHUNK).arrayBuffer());
    const result = await api.call('import.upload', { uploadId, name: file.name, offset, chunk: toBase64(bytes) });
    uploadId = result.uploadId;
    ref = result.file;
    onProgress(Math.min(1, (offset + bytes.length) / file.size));
  }
  return ref;
}
