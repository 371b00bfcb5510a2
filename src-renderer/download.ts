import { api } from './api';

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Reads a built file back in chunks and hands it to the browser as a download. */
export async function download(id: string, name: string, type: string): Promise<void> {
  const parts: Uint8Array[] = [];
  for (let offset = 0, done = false; !done; ) {
    const chunk = await api.call('download.read', { id, offset });
    const bytes = base64ToBytes(chunk.chunk);
    parts.push(bytes);
    offset += bytes.length;
    done = chunk.done;
  }
  const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
