/** Only these links survive in message content; anything else (javascript:, data:, file:, relative) is dropped. */
const SAFE_LINK = /^(https?:|mailto:)/i;

export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  const trimmed = href.trim();
  if (!SAFE_LINK.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}
