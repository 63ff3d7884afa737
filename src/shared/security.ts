/**
 * The content security policy of the renderer, in one place: Electron's session and the HTTP server
 * send it as a header, index.html repeats it as a meta tag. Message content is untrusted: no inline
 * or remote script, no plugins, no frames, no form posts; inline style attributes are allowed for
 * React Flow's positioning, images only from the app itself and data: URLs. The one worker (markdown
 * formatting) is a script file of the app's own; blob: and data: workers stay forbidden.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Only these URL schemes may leave the app, and only to the OS browser. */
export function isExternalUrlAllowed(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
