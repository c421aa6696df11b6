/**
 * The renderer's only reader of `window.gatehouse` (installed by the preload, or by the
 * browser-test bridge). Everything else in the renderer imports from here.
 */
import { API_GLOBAL, type GatehouseApi } from '../../shared/ipc';

declare global {
  interface Window {
    [API_GLOBAL]?: GatehouseApi;
  }
}

export function getApi(): GatehouseApi {
  const api = window[API_GLOBAL];
  if (!api)
    throw new Error('The Gatehouse bridge is missing: the window was opened outside the app.');
  return api;
}
