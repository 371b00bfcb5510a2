import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnomalyApiSettings } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';
import { dataHome } from '../project';

// Which anomaly API the console reads (issue 35): a setting, saved once on the Anomalies page or
// with `pumpdeck anomalies --save-api`, never a URL in each call (a caller could otherwise make the
// console fetch any address with its token). The URL and the hosts the user allows beyond the
// usual (a link-local address) live in PumpDeck's data folder; the token in a file of its own only
// the user can read (0600), never sent back to a page. Not in the project file: a station's
// database is shared and queried in the console, a credential is not.

const SETTINGS_FILE = 'anomaly-api.json';
const TOKEN_FILE = 'anomaly-api.token';

const NONE: AnomalyApiSettings = { url: null, hasToken: false, allowHosts: [] };

/** A URL the console may call: http(s), a host, no credentials, query or fragment (the path is joined before the query). */
export function checkApiUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError('invalid_params', 'the anomaly API is an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ApiError('invalid_params', 'the anomaly API is an http:// or https:// URL');
  if (url.username || url.password)
    throw new ApiError('invalid_params', 'the anomaly API URL carries no user or password (the token is set apart)');
  if (url.search || url.hash)
    throw new ApiError('invalid_params', 'the anomaly API URL has no query or fragment: the base URL only');
  return url.toString().replace(/\/$/, '');
}

export async function readAnomalyApi(): Promise<AnomalyApiSettings> {
  const path = join(dataHome(), SETTINGS_FILE);
  if (!existsSync(path)) return NONE;
  try {
    const saved = JSON.parse(await readFile(path, 'utf8')) as Partial<AnomalyApiSettings>;
    return {
      url: typeof saved.url === 'string' ? checkApiUrl(saved.url) : null,
      hasToken: existsSync(join(dataHome(), TOKEN_FILE)),
      allowHosts: Array.isArray(saved.allowHosts) ? saved.allowHosts.filter((h) => typeof h === 'string') : [],
    };
  } catch {
    return NONE; // a damaged settings file calls nothing
  }
}

/** Saves the settings; `token` undefined keeps the saved token, null removes it. */
export async function saveAnomalyApi(settings: {
  url: string;
  token?: string | null;
  allowHosts?: string[];
}): Promise<AnomalyApiSettings> {
  const url = checkApiUrl(settings.url);
  const allowHosts = [...new Set((settings.allowHosts ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean))];
  const home = dataHome();
  await mkdir(home, { recursive: true, mode: 0o700 });
  await writeFile(join(home, SETTINGS_FILE), `${JSON.stringify({ url, allowHosts }, null, 2)}\n`);
  const tokenPath = join(home, TOKEN_FILE);
  if (settings.token === null) await rm(tokenPath, { force: true });
  else if (settings.token !== undefined) {
    await writeFile(tokenPath, settings.token, { mode: 0o600 });
    await chmod(tokenPath, 0o600); // writeFile's mode applies only when it creates the file
  }
  return readAnomalyApi();
}

/** The saved API with its token, or why there is none. */
export async function savedAnomalyApi(): Promise<{ url: string; token: string; allowHosts: string[] }> {
  const settings = await readAnomalyApi();
  if (!settings.url || !settings.hasToken)
    throw new ApiError(
      'bad_input',
      'no anomaly API set: save its URL and token on the Anomalies page (or pumpdeck anomalies --save-api URL)',
    );
  const token = (await readFile(join(dataHome(), TOKEN_FILE), 'utf8')).trim();
  return { url: settings.url, token, allowHosts: settings.allowHosts };
}
