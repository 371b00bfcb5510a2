// What the desktop window may open, kept apart from Electron so it is tested without the binary:
// the console navigates only within itself, and opens http(s) and mailto links in the system
// browser; any other scheme (file:, javascript:, custom protocol handlers) is refused.

const EXTERNAL_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** A link the system browser or mail client may open. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    return EXTERNAL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** A navigation that stays inside the console: the same page (hash routes) it was loaded from. */
export function isInAppNavigation(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    if (app.protocol === 'file:') return target.protocol === 'file:' && target.pathname === app.pathname;
    return target.origin === app.origin;
  } catch {
    return false;
  }
}
