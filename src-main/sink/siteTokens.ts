import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ApiError } from '../../src-shared/api/errors';
import { MAX_ID } from '../../src-shared/edge/payload';
import { tokenMatches } from '../server/token';

// Who may do what at the anomaly API (issue 33). A site's token posts and reads its own site
// only; a reader's (`*`) reads every site and posts nothing; the sink's one `--token` (a laptop,
// a test) does everything. The file maps tokens to sites, `{"<token>": <siteId> | "*"}`, a token
// written as itself or as `sha256:<hex>`: the sink keeps only the hashes, so a file of hashes
// gives nothing away if it is read.

export type Access = { kind: 'all' } | { kind: 'reader' } | { kind: 'site'; siteId: number };

const HASHED = /^sha256:([0-9a-f]{64})$/;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SiteTokens {
  /** The sites named in the file: a site that never reported is still on the fleet page. */
  sites: number[];
  access(token: string | null): Access | null;
}

/** Reads a site tokens file; a bad entry names itself by position, never by its token. */
export async function loadSiteTokens(path: string | undefined, masterToken: string | undefined): Promise<SiteTokens> {
  const byHash = new Map<string, Access>();
  if (path) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new ApiError(
        'bad_input',
        `${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a JSON object {"<token>": siteId | "*"}'}`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new ApiError('bad_input', `${path}: not a JSON object {"<token>": siteId | "*"}`);
    Object.entries(parsed).forEach(([token, scope], i) => {
      const where = `${path}: entry ${i + 1}`;
      if (token.length < 16 && !HASHED.test(token))
        throw new ApiError('bad_input', `${where}: a token of at least 16 characters (or sha256:<hex>)`);
      let access: Access;
      if (scope === '*') access = { kind: 'reader' };
      else if (Number.isInteger(scope) && scope >= 0 && scope <= MAX_ID) access = { kind: 'site', siteId: scope };
      else throw new ApiError('bad_input', `${where}: a site id (0 to ${MAX_ID}) or "*" for a reader of every site`);
      byHash.set(HASHED.exec(token)?.[1] ?? hashToken(token), access);
    });
  }
  const sites = [...byHash.values()].flatMap((a) => (a.kind === 'site' ? [a.siteId] : []));
  return {
    sites: [...new Set(sites)].sort((a, b) => a - b),
    access(token) {
      if (!token) return null;
      if (masterToken !== undefined && tokenMatches(masterToken, token)) return { kind: 'all' };
      // Looked up by its hash: the time taken says nothing about a token's characters.
      return byHash.get(hashToken(token)) ?? null;
    },
  };
}

/** Whether `access` may post for `siteId`; otherwise why not (403). */
export function mayPost(access: Access, siteId: number): string | null {
  if (access.kind === 'all') return null;
  if (access.kind === 'reader') return 'a reader token does not post';
  return access.siteId === siteId ? null : `this token posts for site ${access.siteId} only`;
}

/** The site `access` is limited to reading (undefined: every site), or why the asked one is refused. */
export function readScope(
  access: Access,
  asked: number | undefined,
): { siteId: number | undefined } | { refused: string } {
  if (access.kind !== 'site') return { siteId: asked };
  if (asked !== undefined && asked !== access.siteId) return { refused: `this token reads site ${access.siteId} only` };
  return { siteId: access.siteId };
}
