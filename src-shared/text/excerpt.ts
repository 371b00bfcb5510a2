// What an error may quote of a user's file or request: a short, escaped excerpt, never the
// content itself (an error message can travel to a log, a browser or a report).

const MAX_EXCERPT = 40;

/** `text` quoted, control characters escaped, cut to `max` characters with an ellipsis. */
export function excerpt(text: string, max = MAX_EXCERPT): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  // JSON.stringify escapes quotes, backslashes and control characters; the rest is shown as is.
  return `'${JSON.stringify(cut).slice(1, -1).replaceAll("'", "\\'")}'`;
}

/** A list of names (columns, tags) for a message: at most `count`, each an excerpt. */
export function excerptList(names: readonly string[], count = 8): string {
  const shown = names.slice(0, count).map((n) => excerpt(n, 24));
  return names.length > count ? `${shown.join(', ')} and ${names.length - count} more` : shown.join(', ');
}
