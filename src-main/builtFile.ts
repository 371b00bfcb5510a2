import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../src-shared/api/errors';

/**
 * A file the build writes beside the bundles under out/ (the training worker, the edge runner):
 * next to the running bundle (out/cli, out/main), or under out/ of the working folder when running
 * from source (tests after npm run build).
 */
export function builtFile(relative: string, what: string): string {
  const candidates = [fileURLToPath(new URL(`../${relative}`, import.meta.url)), join(process.cwd(), 'out', relative)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new ApiError('internal', `${what} is not built (out/${relative}): run npm run build`);
  return found;
}
