import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// The artifact is checked before anything runs: the manifest's ed25519 signature, then the
// sha256 of every file it lists, and no unlisted file in config/ or model/.

export class ArtifactRefused extends Error {}

export interface Manifest {
  format: 'pumpdeck-artifact/1';
  version: string;
  created: string;
  kind: 'pump' | 'station';
  pump: string | null;
  source: { from: string | null; to: string | null };
  files: Record<string, string>;
}

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

function filesUnder(root: string, dir: string): string[] {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full).flatMap((name) => {
    const path = join(full, name);
    return statSync(path).isDirectory()
      ? filesUnder(root, relative(root, path))
      : [relative(root, path).split('\\').join('/')];
  });
}

/**
 * Verifies the artifact in `dir`. A key pinned on the site (PUMPDECK_TRUSTED_KEY, a PEM file)
 * must be the one that signed; without a pin, the key shipped in the artifact is used, which
 * catches any edit but not a full re-signing by someone who can write the folder.
 */
export function verifyArtifact(dir: string): Manifest {
  const read = (name: string) => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new ArtifactRefused(`artifact refused: ${name} is missing`);
    return readFileSync(path);
  };
  const manifestBytes = read('manifest.json');
  const signature = Buffer.from(read('manifest.sig').toString('utf8').trim(), 'base64');
  const shipped = read('signing_key.pub').toString('utf8');
  const pinned = process.env.PUMPDECK_TRUSTED_KEY ? readFileSync(process.env.PUMPDECK_TRUSTED_KEY, 'utf8') : null;
  const key = createPublicKey(pinned ?? shipped);
  if (
    pinned &&
    createPublicKey(shipped).export({ type: 'spki', format: 'der' }).toString('hex') !==
      key.export({ type: 'spki', format: 'der' }).toString('hex')
  ) {
    throw new ArtifactRefused(
      'artifact refused: it was signed with another key than the one pinned in PUMPDECK_TRUSTED_KEY',
    );
  }
  if (!verify(null, manifestBytes, key, signature))
    throw new ArtifactRefused(
      'artifact refused: the signature of manifest.json does not match (the manifest was changed after signing)',
    );
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
  for (const [name, hash] of Object.entries(manifest.files)) {
    if (sha256(read(name)) !== hash)
      throw new ArtifactRefused(
        `artifact refused: ${name} was changed (its sha256 does not match the signed manifest)`,
      );
  }
  const unlisted = [...filesUnder(dir, 'config'), ...filesUnder(dir, 'model')].filter((f) => !(f in manifest.files));
  if (unlisted.length)
    throw new ArtifactRefused(
      `artifact refused: ${unlisted.join(', ')} ${unlisted.length > 1 ? 'are' : 'is'} not in the signed manifest`,
    );
  return manifest;
}
