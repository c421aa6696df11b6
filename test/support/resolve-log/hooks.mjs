// module.register hooks (Node ≥ 20.6): records each resolved URL, one per line, then resolves
// as usual. Runs on the loader thread; appendFileSync keeps the order even if the process exits.
import { appendFileSync } from 'node:fs';

let file = '';

export async function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(file, `${result.url}\n`);
  return result;
}
