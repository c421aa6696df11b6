/**
 * Turns a provider's avatar URL into a small data: URL, fetched here in main, so the window's
 * CSP can forbid every remote image (no tracking pixel, no referrer leak from the renderer).
 * Anything that is not a small PNG/JPEG/GIF/WebP over https is dropped: the card shows initials.
 */
import type { DisplayClaims } from '../../shared/session';

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

/** The claims with a remote picture replaced by its data: URL, or left out when it cannot be. */
export async function withAvatar(
  claims: DisplayClaims,
  resolve: ((url: string) => Promise<string | undefined>) | undefined,
): Promise<DisplayClaims> {
  const out = { ...claims };
  if (out.picture && !out.picture.startsWith('data:')) {
    const avatar = await resolve?.(out.picture);
    if (avatar) out.picture = avatar;
    else delete out.picture;
  }
  return out;
}
