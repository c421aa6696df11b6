/**
 * The provider configuration file's schema. Credential and URL fields may reference the
 * environment or .env as "${NAME}" (references.ts says which fields and which names).
 */
import { z } from 'zod';
import type { ProviderKind } from '../../shared/provider-kinds';
import { parseReference } from './env';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use lowercase letters, digits and -');
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
]);
const url = z
  .string()
  .refine((value) => parseReference(value) !== null || isAbsoluteHttpUrl(value), {
    message: 'must be an absolute URL with its scheme, such as https://host/ (or "${NAME}")',
  });
const common = {
  id,
  displayName: z.string().min(1).max(60).optional(),
  /** Registered fixed loopback ports, tried in order, for servers that match redirect URIs exactly. */
  ports: z.array(port).max(20).optional(),
  timeoutSeconds: z.number().int().min(10).max(3600).optional(),
  scopes: z.array(z.string().min(1)).optional(),
};

export const oidcProviderSchema = z.strictObject({
  ...common,
  kind: z.literal('oidc'),
  /** Issuer URL (discovery at /.well-known/openid-configuration) or the full well-known URL. */
  issuer: url,
  clientId: z.string(),
  clientSecret: z.string().optional(),
  tokenEndpointAuthMethod: z.enum(['none', 'client_secret_basic', 'client_secret_post']).optional(),
  /** Static extra authorize parameters, e.g. Hawcx's sdk_config_id. */
  extraAuthorizeParams: z.record(z.string(), z.string()).optional(),
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
const providerSchemaByKind = {
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

export const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Variable names this file's "${NAME}" values may read, beyond the ones the README lists. */
  env: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name'))
    .max(100)
    .optional(),
  providers: z.array(providerConfigSchema).max(50),
  signInTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
  httpTimeoutSeconds: z.number().int().min(1).max(120).optional(),
  /** How many refreshes may run at once when many accounts expire together. */
  refreshConcurrency: z.number().int().min(1).max(64).optional(),
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
