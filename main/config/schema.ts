/**
 * The provider configuration file's schema. Credential and URL fields may reference the
 * environment or .env as "${NAME}" (references.ts says which fields and which names).
 */
import { z } from 'zod';
import type { ProviderKind } from '../../shared/provider-kinds';
import { parseReference } from './env';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use lowercase letters, digits and -');
/** An id good enough to list a broken entry under (load.ts), whatever else is wrong with it. */
export const providerIdSchema = id;
const port = z.number().int().min(1024).max(65535);

/** Absolute, with its scheme and a host; whether plain http may be used is url-rules.ts's call. */
export function isAbsoluteHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
}

/** Every URL field: checked here, and again once a "${NAME}" in it is expanded (load.ts). */
export const URL_FIELDS: ReadonlySet<string> = new Set([
  'issuer',
  'wellKnownUrl',
  'baseUrl',
  'apiUrl',
  'authorizationEndpoint',
  'tokenEndpoint',
  'jwksUri',
  'userinfoEndpoint',
  'revocationEndpoint',
  'deviceAuthorizationEndpoint',
]);
const url = z
  .string()
  .refine((value) => parseReference(value) !== null || isAbsoluteHttpUrl(value), {
    message: 'must be an absolute URL with its scheme, such as https://host/ (or "${NAME}")',
  });
const displayName = z.string().min(1).max(60);
/** A display name good enough to list a broken entry under (load.ts). */
export const providerDisplayNameSchema = displayName;
const common = {
  id,
  displayName: displayName.optional(),
  /** Registered fixed loopback ports, tried in order, for servers that match redirect URIs exactly. */
  ports: z.array(port).max(20).optional(),
  timeoutSeconds: z.number().int().min(10).max(3600).optional(),
  scopes: z.array(z.string().min(1)).optional(),
};

/** The ID-token algorithms Gatehouse verifies: public-key ones only, never HS* or none. */
export const ID_TOKEN_SIGNING_ALGS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
const signingAlg = z.string().refine((alg) => ID_TOKEN_SIGNING_ALGS.includes(alg), {
  error: (issue) =>
    `${/^[A-Za-z0-9]{2,12}$/.test(String(issue.input)) ? String(issue.input) : 'this algorithm'} is refused: ID tokens must be signed with a public-key algorithm (${ID_TOKEN_SIGNING_ALGS.join(', ')}), never HS* or none`,
});

/** Any of these means the provider is configured by endpoints, without discovery. */
const ENDPOINT_FORM_FIELDS = [
  'authorizationEndpoint',
  'tokenEndpoint',
  'jwksUri',
  'publicKeyPem',
  'userinfoEndpoint',
  'revocationEndpoint',
  'deviceAuthorizationEndpoint',
] as const;
const ENDPOINT_FORM =
  'without discovery, authorizationEndpoint, tokenEndpoint, issuer and jwksUri or publicKeyPem are all needed';

export const oidcProviderSchema = z
  .strictObject({
    ...common,
    kind: z.literal('oidc'),
    /** Issuer URL (discovery at /.well-known/openid-configuration) or the full well-known URL;
     * with the endpoints below, the issuer identifier that ID tokens must name. */
    issuer: url,
    clientId: z.string(),
    clientSecret: z.string().optional(),
    tokenEndpointAuthMethod: z
      .enum(['none', 'client_secret_basic', 'client_secret_post'])
      .optional(),
    /** Static extra authorize parameters, e.g. Hawcx's sdk_config_id. */
    extraAuthorizeParams: z.record(z.string(), z.string()).optional(),
    authorizationEndpoint: url.optional(),
    tokenEndpoint: url.optional(),
    jwksUri: url.optional(),
    /** A pinned signing key (SPKI or certificate PEM); a literal "\n" stands for a newline. */
    publicKeyPem: z.string().min(1).optional(),
    userinfoEndpoint: url.optional(),
    revocationEndpoint: url.optional(),
    deviceAuthorizationEndpoint: url.optional(),
    /** The ID token's expected aud, when the provider names an API rather than the client id. */
    audience: z.string().min(1).optional(),
    clockToleranceSeconds: z.number().int().min(0).max(300).optional(),
    idTokenSigningAlgs: z.array(signingAlg).min(1).max(12).optional(),
  })
  .superRefine((provider, ctx) => {
    if (!ENDPOINT_FORM_FIELDS.some((field) => provider[field] !== undefined)) return;
    for (const field of ['authorizationEndpoint', 'tokenEndpoint'] as const)
      if (provider[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `is missing: ${ENDPOINT_FORM}` });
    if (provider.jwksUri === undefined && provider.publicKeyPem === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['jwksUri'],
        message: `is missing (or publicKeyPem): ${ENDPOINT_FORM}`,
      });
  });

export const webexProviderSchema = z.strictObject({
  ...common,
  kind: z.literal('webex'),
  clientId: z.string(),
  clientSecret: z.string(),
  wellKnownUrl: url.optional(),
});

export const demoProviderSchema = z.strictObject({
  ...common,
  kind: z.literal('demo'),
});

export const githubProviderSchema = z.strictObject({
  ...common,
  kind: z.literal('github'),
  clientId: z.string(),
  clientSecret: z.string().optional(),
  /** https://github.com, or https://HOST for GitHub Enterprise Server. */
  baseUrl: url.optional(),
  /** https://api.github.com, or https://HOST/api/v3. */
  apiUrl: url.optional(),
});

export const xwmsProviderSchema = z.strictObject({
  ...common,
  kind: z.literal('xwms'),
  clientId: z.string(),
  clientSecret: z.string(),
  domain: z.string(),
  apiUrl: url,
  credentialStyle: z.enum(['headers', 'body']).optional(),
});

/** One schema per kind; a kind added to PROVIDER_KINDS fails here until it has one. */
export const providerSchemaByKind = {
  oidc: oidcProviderSchema,
  webex: webexProviderSchema,
  demo: demoProviderSchema,
  github: githubProviderSchema,
  xwms: xwmsProviderSchema,
} satisfies { [K in ProviderKind]: z.ZodType<{ kind: K }> };

type ProviderSchema = (typeof providerSchemaByKind)[ProviderKind];

export const providerConfigSchema = z.discriminatedUnion(
  'kind',
  Object.values(providerSchemaByKind) as [ProviderSchema, ...ProviderSchema[]],
);

/** The file around its providers: load.ts checks each entry of `providers` on its own. */
export const configFileTopSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Variable names this file's "${NAME}" values may read, beyond the ones the README lists. */
  env: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name'))
    .max(100)
    .optional(),
  providers: z.array(z.unknown()).max(50),
  signInTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
  httpTimeoutSeconds: z.number().int().min(1).max(120).optional(),
  /** How many refreshes may run at once when many accounts expire together. */
  refreshConcurrency: z.number().int().min(1).max(64).optional(),
});

export const configFileSchema = configFileTopSchema.extend({
  providers: z.array(providerConfigSchema).max(50),
});

/** Whether the kind's schema lets the field be left out (an unset optional URL is left out). */
export function isOptionalField(kind: ProviderKind, field: string): boolean {
  const schema = providerConfigSchema.options.find((option) => option.shape.kind.value === kind);
  const shape: Record<string, z.ZodType> | undefined = schema?.shape;
  return shape?.[field]?.safeParse(undefined).success ?? false;
}

export type ProviderConfig = z.infer<typeof providerConfigSchema>;
export type OidcProviderConfig = z.infer<typeof oidcProviderSchema>;
export type WebexProviderConfig = z.infer<typeof webexProviderSchema>;
export type DemoProviderConfig = z.infer<typeof demoProviderSchema>;
export type GithubProviderConfig = z.infer<typeof githubProviderSchema>;
export type XwmsProviderConfig = z.infer<typeof xwmsProviderSchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;
