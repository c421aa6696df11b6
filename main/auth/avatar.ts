/**
 * Turns a provider's avatar URL into a small data: URL, fetched here in main, so the window's
 * CSP can forbid every remote image (no tracking pixel, no referrer leak from the renderer).
 * Anything that is not a small PNG/JPEG/GIF/WebP over https is dropped: the card shows initials.
 */
const MAX_BYTES = 64 * 1024;
const TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export async function fetchAvatarDataUrl(
  url: string,
  fetchFn: typeof fetch,
): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:') return undefined;
  try {
    const response = await fetchFn(parsed, {
      headers: { accept: 'image/png,image/jpeg,image/gif,image/webp' },
    });
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!response.ok || !TYPES.has(type)) return undefined;
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > MAX_BYTES) return undefined;
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.byteLength === 0 || body.byteLength > MAX_BYTES) return undefined;
    return `data:${type};base64,${Buffer.from(body).toString('base64')}`;
  } catch {
    return undefined;
  }
}
