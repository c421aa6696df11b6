/**
 * The embedded demo identity provider: a certified OpenID provider (oidc-provider) on 127.0.0.1,
 * started only when someone signs in with "demo", so `npm start` works with nothing registered.
 * This module is what main/auth/providers/demo.ts loads with import() (and the tests import):
 * the server itself (oidc-server.ts) and the service that keeps it one issuer across processes.
 */
export { DEMO_CLIENT_ID, demoNativeClient } from './demo-client';
export { startDemoServer, type DemoServer, type DemoServerOptions } from './oidc-server';
export {
  openDemoService,
  type DemoPurpose,
  type DemoService,
  type DemoServiceOptions,
} from './demo-service';
export type { DemoPersistence } from './demo-persistence';
