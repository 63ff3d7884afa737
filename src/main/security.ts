import { fileURLToPath } from 'node:url';
import { session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, isExternalUrlAllowed } from '../shared/security';

/**
 * The window's hardening beyond its webPreferences: the CSP as a response header, no permissions,
 * no navigation, no new windows. A file or folder dropped on the window would navigate to its
 * file:// URL; that navigation is cancelled and the path is opened as a source instead.
 */
export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function guardContents(contents: WebContents, onDroppedPath: (path: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    if (url.startsWith('file:')) {
      try {
        onDroppedPath(fileURLToPath(url));
      } catch {
        // Not a local path: ignore.
      }
    }
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalUrlAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
