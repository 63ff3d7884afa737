import { isValidElement, type ReactNode } from 'react';

/**
 * Where a link really goes, and whether its visible text says otherwise. Message content is
 * untrusted: a markdown title or a link text may name one host while the href goes to another
 * (`[https://docs.example.org/login](https://evil.example/)`). The tooltip shows the href's own
 * host, never the markdown title, and a click on a link whose text names another host asks first.
 */

/** The host of an http(s) link as the browser will reach it (IDNs in their punycode form, which shows look-alike letters); a mailto link's address. */
export function linkHost(href: string): string {
  try {
    const url = new URL(href);
    if (url.protocol === 'mailto:') return url.pathname;
    return url.host;
  } catch {
    return href;
  }
}

// Something that reads as a host name: labels of letters, digits and hyphens joined by dots,
// ending in a letter label of two or more (so "v1.2" or "e.g." are not hosts); optional scheme.
const HOST_IN_TEXT = /(?:^|[\s(<["'])(?:[a-z][a-z0-9+.-]*:\/\/)?((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,})(?=$|[\s/:?#)>\]"',.;!])/iu;

/** The host the visible text names, lower-cased and in punycode like linkHost, or null. */
export function hostNamedIn(text: string): string | null {
  const m = HOST_IN_TEXT.exec(text.trim());
  if (!m) return null;
  try {
    return new URL(`http://${m[1]}`).hostname;
  } catch {
    return null;
  }
}

const bare = (host: string) => host.toLowerCase().replace(/:\d+$/, '').replace(/^www\./, '');

/** The host a link's text claims when it is not where the link goes (www. aside), else null. */
export function misleadingHost(text: string, href: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const claimed = hostNamedIn(text);
  if (!claimed) return null;
  return bare(claimed) === bare(url.hostname) ? null : claimed;
}

/** The text a React subtree shows (strings and numbers, through elements' children), bounded. */
export function textOf(node: ReactNode, limit = 2000): string {
  let out = '';
  const stack: ReactNode[] = [node];
  while (stack.length && out.length < limit) {
    const n = stack.pop();
    if (typeof n === 'string' || typeof n === 'number') out += String(n);
    else if (Array.isArray(n)) for (let i = n.length - 1; i >= 0; i--) stack.push(n[i] as ReactNode);
    else if (isValidElement(n)) stack.push((n.props as { children?: ReactNode }).children);
  }
  return out.slice(0, limit);
}
