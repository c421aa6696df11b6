/** The renderer's production JavaScript stays ≤ 150 KB gzip (also reported by npm run bench). */
import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export function rendererGzipBytes(dir = 'dist/renderer/assets'): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(path.join(dir, f)), { level: 9 }).length, 0);
}

test('renderer JavaScript is at most 150 KB gzip', () => {
  const bytes = rendererGzipBytes();
  console.warn(`renderer JS: ${(bytes / 1024).toFixed(1)} KB gzip`);
  expect(bytes).toBeGreaterThan(10_000);
  expect(bytes).toBeLessThanOrEqual(150 * 1024);
});
