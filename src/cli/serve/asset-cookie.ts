import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The cookie that lets the page load its own scripts, styles and downloads. It is NOT the API
 * token: cookies are not scoped by port, so any other server on 127.0.0.1 receives it, and it
 * must give that server nothing it could replay. Its value is a second per-run secret that opens
 * only static files and one-time downloads (whose ids are themselves random); every API call
 * needs the token in the `x-arbor-token` header, which only the page's script has (it takes it
 * from the URL once and keeps it in sessionStorage). The name carries the port, so two servers
 * on one machine do not overwrite each other's cookie.
 */
export class AssetCookie {
  private readonly secret = randomBytes(24).toString('base64url');

  name(port: number): string {
    return `arbor_assets_${port}`;
  }

  setHeader(port: number): string {
    return `${this.name(port)}=${this.secret}; HttpOnly; SameSite=Strict; Path=/`;
  }

  matches(req: IncomingMessage, port: number): boolean {
    return sameSecret(cookieValue(req, this.name(port)), this.secret);
  }
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** Constant-time comparison of a secret given in a request with the expected one. */
export function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
