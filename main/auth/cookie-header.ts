/**
 * The two small cookie helpers the loopback's start links and the preview's gate share: a
 * random URL-safe token, and every value a Cookie header (RFC 6265 §5.4) gives one name — a
 * browser may send several when paths or ports overlap (cookies are not port-scoped, §8.5).
 */
import { randomBytes } from 'node:crypto';

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) values.push(pair.slice(eq + 1).trim());
  }
  return values;
}
