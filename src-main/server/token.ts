import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../src-shared/api/errors';

export function randomToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The token `pumpdeck serve` uses: $PUMPDECK_SERVE_TOKEN when set (a service that restarts keeps its
 * bookmarked address, and open consoles reconnect), else a new one per run. A weak one is refused.
 */
export function serveToken(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.PUMPDECK_SERVE_TOKEN;
  if (given === undefined || given === '') return randomToken();
  if (!/^[A-Za-z0-9_-]{32,}$/.test(given))
    throw new ApiError('bad_input', 'PUMPDECK_SERVE_TOKEN must be at least 32 letters, digits, - or _');
  return given;
}

/** Constant-time comparison; hashing first makes the lengths equal. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match ? match[1].trim() : null;
}
