import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { ApiError } from '../../src-shared/api/errors';
import { excerpt } from '../../src-shared/text/excerpt';

/**
 * Unzips an artifact into a folder, as a site does with `unzip`; returns the folder. An entry that
 * would land outside it (`../`, an absolute path: "zip slip") refuses the whole archive before
 * anything is written.
 */
export function unpackArtifact(zip: string, into: string): string {
  const root = resolve(into);
  const entries = Object.entries(unzipSync(readFileSync(zip)));
  const targets = entries.map(([name, bytes]) => {
    const target = resolve(root, name);
    if (isAbsolute(name) || /^[a-zA-Z]:/.test(name) || !target.startsWith(root + sep))
      throw new ApiError('bad_input', `${zip}: entry ${excerpt(name)} would be written outside ${into}`);
    return [target, bytes, name.endsWith('/')] as const;
  });
  for (const [target, bytes, folder] of targets) {
    mkdirSync(folder ? target : dirname(target), { recursive: true });
    if (!folder) writeFileSync(target, bytes);
  }
  return into;
}
