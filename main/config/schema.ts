/**
 * The provider configuration file's schema. Values may reference the environment or .env as
 * "${NAME}" (the seeds' names: WEBEX_CLIENT_ID, GITHUB_CLIENT_SECRET, XWMS_API_URL, ...).
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use lowercase letters, digits and -');
const port = z.number().int().min(1024).max(65535);
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
  issuer: z.string().min(1),
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
  wellKnownUrl: z.string().optional(),
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
  baseUrl: z.string().optional(),
  /** https://api.github.com, or https://HOST/api/v3. */
  apiUrl: z.string().optional(),
});

export const xwmsProviderSchema = z.strictObject({
  ...common,
  kind: z.literal('xwms'),
  clientId: z.string(),
  clientSecret: z.string(),
  domain: z.string(),
  apiUrl: z.string(),
  credentialStyle: z.enum(['headers', 'body']).optional(),
});

export const providerConfigSchema = z.discriminatedUnion('kind', [
  oidcProviderSchema,
  webexProviderSchema,
  demoProviderSchema,
  githubProviderSchema,
  xwmsProviderSchema,
]);

export const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  providers: z.array(providerConfigSchema).max(50),
  signInTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
  httpTimeoutSeconds: z.number().int().min(1).max(120).optional(),
  /** How many refreshes may run at once when many accounts expire together. */
  refreshConcurrency: z.number().int().min(1).max(64).optional(),
});

export type ProviderConfig = z.infer<typeof providerConfigSchema>;
export type OidcProviderConfig = z.infer<typeof oidcProviderSchema>;
export type WebexProviderConfig = z.infer<typeof webexProviderSchema>;
export type DemoProviderConfig = z.infer<typeof demoProviderSchema>;
export type GithubProviderConfig = z.infer<typeof githubProviderSchema>;
export type XwmsProviderConfig = z.infer<typeof xwmsProviderSchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;
