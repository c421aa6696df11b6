/**
 * Where "${NAME}" is expanded, and which names. Only credential and URL fields read the
 * environment, and only the README's names or those the file declares in "env", so a file
 * cannot copy an arbitrary variable into an authorize URL or into a field that is printed.
 */
import { KNOWN_ENV_NAMES } from './defaults';
import { parseReference } from './env';
import { isAbsoluteHttpUrl, isOptionalField, URL_FIELDS } from './schema';
import type { ProviderConfig } from './schema';

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

/** One problem with a provider entry: the path inside the entry, and what is wrong there. */
export interface FieldProblem {
  path: readonly PropertyKey[];
  message: string;
}

/** "providers[2].baseUrl (provider "ghe")": the path as the file spells it, and the provider. */
export function fieldLocation(index: number, id: unknown, path: readonly PropertyKey[]): string {
  const where = path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : `${acc}.${String(part)}`),
    `providers[${index}]`,
  );
  return typeof id === 'string' ? `${where} (provider "${id}")` : where;
}

/** What every entry's references are judged against: the names allowed, the secrets' names. */
export interface ReferenceRules {
  allowed: ReadonlySet<string>;
  secretNames: ReadonlySet<string>;
}

/** The file's rules; the secrets are read from every entry, valid or not, so none leaks. */
export function referenceRules(env: readonly string[] | undefined, entries: unknown[]) {
  const secretNames = new Set(
    entries.flatMap((entry) =>
      entry && typeof entry === 'object'
        ? Object.entries(entry).flatMap(([field, value]) =>
            SECRET_FIELDS.has(field) ? (parseReference(value)?.name ?? []) : [],
          )
        : [],
    ),
  );
  return { allowed: new Set([...KNOWN_ENV_NAMES, ...(env ?? [])]), secretNames };
}

/** Every reference in the provider that the rules refuse; empty when all are allowed. */
export function referenceProblems(provider: ProviderConfig, rules: ReferenceRules): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const { path, value } of strings(provider, [])) {
    const ref = parseReference(value);
    if (!ref) continue;
    const field = path.length === 1 ? String(path[0]) : '';
    const message = !EXPANDED_FIELDS.has(field)
      ? `"${value}" is not expanded in this field; "\${NAME}" works only in ${[...EXPANDED_FIELDS].join(', ')}`
      : !rules.allowed.has(ref.name)
        ? `${ref.name} is not a variable Gatehouse reads; list it in the file's "env" to use it`
        : rules.secretNames.has(ref.name) && !SECRET_FIELDS.has(field)
          ? `${ref.name} is a clientSecret in this file, so it fills no other field`
          : null;
    if (message) problems.push({ path, message });
  }
  return problems;
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
  error: FieldProblem | null;
}

/** Expands the provider's allowed references (referenceProblems found none) from `env`. */
export function expandProvider(
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
        const message = `${ref.name} does not hold an absolute URL with its scheme, such as https://host/`;
        return { config: provider, missing, error: { path: [field], message } };
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
