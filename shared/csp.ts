/**
 * The window's Content-Security-Policy: nothing remote, no inline script, no eval. Avatars reach
 * the window as data: URLs fetched by main, so img-src needs no remote origin either.
 * Used by the app protocol handler, the renderer's <meta> tag (checked by a test) and the
 * browser-test server, so all three serve the same policy.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/**
 * The browser preview's policy (main/preview/, `npm run preview`, never packaged): the same,
 * except that the page may fetch from its own origin, where the preview channel answers.
 */
export const PREVIEW_CSP = RENDERER_CSP.replace("connect-src 'none'", "connect-src 'self'");
