/**
 * Where the window's page comes from, and who may call the API. The built renderer is served from
 * a privileged standard scheme of Arbor's own (`arbor://app/`, app-protocol.ts), not from file://:
 * a file: page's origin is every file on the disk, and a file link or drop could load another page
 * into the window as "the app". The development server (ELECTRON_RENDERER_URL, set by electron-vite
 * dev) is honoured only in an unpackaged build: in a packaged app an environment variable must not
 * choose the page that gets the API.
 *
 * No `electron` import: the rules run under vitest.
 */

export const APP_SCHEME = 'arbor';
export const APP_HOST = 'app';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export interface RendererLocation {
  /** What the window loads. */
  url: string;
  /** The dev server's origin when it is used (unpackaged builds only), else null. */
  devOrigin: string | null;
}

export function rendererLocation(isPackaged: boolean, env: Record<string, string | undefined>): RendererLocation {
  const dev = isPackaged ? undefined : env.ELECTRON_RENDERER_URL;
  if (dev) {
    try {
      const url = new URL(dev);
      if (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1')) return { url: url.href, devOrigin: url.origin };
    } catch {
      // Not a URL: fall back to the built page.
    }
  }
  return { url: APP_ENTRY_URL, devOrigin: null };
}

/** True for a page of the app's own: `arbor://app/…`, or the dev server's origin when one is in use. */
export function isAppUrl(url: string, location: RendererLocation): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === `${APP_SCHEME}:`) return u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
  return location.devOrigin !== null && u.origin === location.devOrigin;
}
