// A page's state in the URL after its hash (#/analytics?from=...&tags=...): shareable, and kept
// on reload. replaceState, so moving around a chart does not fill the browser's history.

export function hashParams(): URLSearchParams {
  return new URLSearchParams(window.location.hash.split('?')[1] ?? '');
}

export function setHashParams(params: URLSearchParams): void {
  const page = window.location.hash.split('?')[0] || '#/';
  const query = params.toString();
  window.history.replaceState(
    null,
    '',
    `${window.location.pathname}${window.location.search}${page}${query ? `?${query}` : ''}`,
  );
}
