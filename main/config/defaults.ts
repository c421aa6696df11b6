/**
 * The configuration used when no file exists: the embedded demo provider, which needs no
 * registration, plus the three named providers reading the seeds' environment names. A provider
 * whose variables are unset is listed with that problem instead of failing the app.
 */
import type { ConfigFile } from './schema';

export const DEFAULT_CONFIG: ConfigFile = {
  providers: [
    { id: 'demo', kind: 'demo', displayName: 'Demo provider (local)' },
    {
      id: 'webex',
      kind: 'webex',
      clientId: '${WEBEX_CLIENT_ID}',
      clientSecret: '${WEBEX_CLIENT_SECRET}',
    },
    {
      id: 'github',
      kind: 'github',
      displayName: 'GitHub',
      clientId: '${GITHUB_CLIENT_ID}',
      clientSecret: '${GITHUB_CLIENT_SECRET?}',
    },
    {
      id: 'xwms',
      kind: 'xwms',
      displayName: 'XWMS',
      clientId: '${XWMS_CLIENT_ID}',
      clientSecret: '${XWMS_CLIENT_SECRET}',
      domain: '${XWMS_DOMAIN}',
      apiUrl: '${XWMS_API_URL}',
    },
  ],
};
