/**
 * After each test, ends what the test started, last first: worlds and cores are disposed,
 * servers closed, and plain functions called. The suites' one afterEach (test/support/world.ts).
 */
import { afterEach } from 'vitest';

export type Ending = { dispose(): unknown } | { close(): unknown } | (() => unknown);

/** Registers the afterEach; hand the returned function each thing to end (it returns it). */
export function cleanupAfterEach(): <T extends Ending>(item: T) => T {
  const items: Ending[] = [];
  afterEach(async () => {
    for (const item of items.splice(0).reverse()) {
      if (typeof item === 'function') await item();
      else if ('dispose' in item) await item.dispose();
      else await item.close();
    }
  });
  return (item) => {
    items.push(item);
    return item;
  };
}
