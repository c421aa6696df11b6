/**
 * Where "${NAME}" is expanded, and which names. Only credential and URL fields read the
 * environment, and only the README's names or those the file declares in "env", so a file
 * cannot copy an arbitrary variable into an authorize URL or into a field that is printed.
 */
import { KNOWN_ENV_NAMES } from './defaults';
import { parseReference } from './env';
import { isAbsoluteHttpUrl, isOptionalField, URL_FIELDS } from './schema';
import type { ConfigFile, ProviderConfig } from './schema';

/** Credential and URL fields of every provider kind. */
const CREDENTIAL_AND_URL_FIELDS = [
  'clientId',
  'clientSecret',
  'issuer',
  'wellKnownUrl',
  'baseUrl',
  'domain',
  'apiUrl',
];
/** An oidc provider configured without discovery: its endpoint URLs, audience and pinned key. */
const ENDPOINT_AND_KEY_FIELDS: readonly string[] = [
  'authorizationEndpoint',
  'tokenEndpoint',
  'jwksUri',
  'userinfoEndpoint',
  'revocationEndpoint',
  'deviceAuthorizationEndpoint',
  'audience',
  'publicKeyPem',
];

/** The only provider fields whose "${NAME}" is expanded; every other value is taken as written. */
const EXPANDED_FIELDS: ReadonlySet<string> = new Set([
  ...CREDENTIAL_AND_URL_FIELDS,
  ...ENDPOINT_AND_KEY_FIELDS,
]);

/** Fields whose value is never printed; a variable that fills one fills no other field. */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['clientSecret']);

/** "providers[2].baseUrl (provider "ghe")": the path as the file spells it, and the provider. */
export function fieldLocation(index: number, id: unknown, path: readonly PropertyKey[]): string {
  const where = path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : `${acc}.${String(part)}`),
    `providers[${index}]`,
  );
  return typeof id === 'string' ? `${where} (provider "${id}")` : where;
}

/** The first reference the rules refuse, as "location: reason"; null when all are allowed. */
export function checkReferences(file: ConfigFile): string | null {
  const allowed = new Set([...KNOWN_ENV_NAMES, ...(file.env ?? [])]);
  const secretNames = new Set(
    file.providers.flatMap((provider) =>
      Object.entries(provider).flatMap(([field, value]) =>
        SECRET_FIELDS.has(field) ? (parseReference(value)?.name ?? []) : [],
      ),
    ),
  );
  for (const [index, provider] of file.providers.entries()) {
    for (const { path, value } of strings(provider, [])) {
      const ref = parseReference(value);
      if (!ref) continue;
      const where = fieldLocation(index, provider.id, path);
      const field = path.length === 1 ? String(path[0]) : '';
      if (!EXPANDED_FIELDS.has(field))
        return `${where}: "${value}" is not expanded in this field; "\${NAME}" works only in ${[...EXPANDED_FIELDS].join(', ')}`;
      if (!allowed.has(ref.name))
        return `${where}: ${ref.name} is not a variable Gatehouse reads; list it in the file's "env" to use it`;
      if (secretNames.has(ref.name) && !SECRET_FIELDS.has(field))
        return `${where}: ${ref.name} is a clientSecret in this file, so it fills no other field`;
    }
  }
  return null;
}

function* strings(
  node: unknown,
  path: PropertyKey[],
): Generator<{ path: PropertyKey[]; value: string }> {
  if (typeof node === 'string') yield { path, value: node };
  else if (Array.isArray(node))
    for (const [i, item] of node.entries()) yield* strings(item, [...path, i]);
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) yield* strings(value, [...path, key]);
}

interface Expanded {
  config: ProviderConfig;
  /** Variables that are unset: each is a problem on the provider, not a file error. */
  missing: string[];
  /** A set variable whose value cannot be used (a URL without its scheme). */
  error: string | null;
}

/** Expands the provider's allowed references (checkReferences ran first) from `env`. */
export function expandProvider(
  index: number,
  provider: ProviderConfig,
  env: Record<string, string | undefined>,
): Expanded {
  const out: Record<string, unknown> = { ...provider };
  const missing: string[] = [];
  for (const [field, value] of Object.entries(provider)) {
    const ref = EXPANDED_FIELDS.has(field) ? parseReference(value) : null;
    if (!ref) continue;
    const found = env[ref.name];
    if (found) {
      if (URL_FIELDS.has(field) && !isAbsoluteHttpUrl(found)) {
        const where = fieldLocation(index, provider.id, [field]);
        const error = `${where}: ${ref.name} does not hold an absolute URL with its scheme, such as https://host/`;
        return { config: provider, missing, error };
      }
      out[field] = found;
      continue;
    }
    if (!ref.optional) missing.push(ref.name);
    // An unset optional URL is left out rather than left empty: "" is no URL (Invalid URL).
    if (ref.optional || (URL_FIELDS.has(field) && isOptionalField(provider.kind, field)))
      delete out[field];
    else out[field] = '';
  }
  return { config: out as ProviderConfig, missing, error: null };
}
