#!/usr/bin/env node
/**
 * The post-suite secret scan. test/support/secret-recorder.cjs wrote down every credential that
 * crossed fetch during `npm test` (codes, verifiers, client secrets, device codes, tokens); this
 * proves none of them appears in what the app leaves behind or shows:
 *   - the app data folders the tests used (temp folders named gh-* created during this run),
 *   - the logs and reports in test-results/ (including every renderer-visible IPC payload the
 *     browser bridge recorded, and the visible text of every screenshot),
 *   - the screenshots themselves (docs/screenshots, test-results/playwright).
 * Files the person writes as configuration (providers.json, .env) are inputs, not app output,
 * and are skipped. Exits 1 if anything is found or if nothing was recorded (a scan of nothing
 * proves nothing).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONFIG_INPUTS = new Set(['providers.json', '.env']);
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const SKIP_DIRS = new Set(['node_modules', '.git', 'app.asar.unpacked']);

/** Token-like runs under two alphabets, so `code=abc` and base64 `a+b/c=` both split sensibly. */
function tokens(text) {
  const out = new Set();
  for (const re of [/[A-Za-z0-9_\-.~]{10,}/g, /[A-Za-z0-9_\-.~+/=]{10,}/g])
    for (const m of text.matchAll(re)) out.add(m[0]);
  return out;
}

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* walk(full);
    } else if (entry.isFile()) yield full;
  }
}

/**
 * @param {{ secrets: Iterable<string>, roots: string[] }} input
 * @returns {{ files: number, findings: Array<{ file: string, secret: string }> }}
 */
export function scanForSecrets({ secrets, roots }) {
  const wanted = new Set([...secrets].filter((s) => s.length >= 10));
  const findings = [];
  let files = 0;
  for (const root of roots) {
    for (const file of walk(root)) {
      if (CONFIG_INPUTS.has(path.basename(file))) continue;
      let size;
      try {
        size = statSync(file).size;
      } catch {
        continue;
      }
      if (size > MAX_FILE_BYTES) continue;
      files++;
      const text = readFileSync(file).toString('latin1');
      for (const token of tokens(text)) {
        if (wanted.has(token)) findings.push({ file, secret: token });
        // A JWT may be stored whole or as its parts; a run can also glue a secret to its key.
        else
          for (const part of token.split(/[.=]/))
            if (part.length >= 10 && wanted.has(part)) findings.push({ file, secret: part });
      }
    }
  }
  return { files, findings };
}

/** The app data folders of this run: temp folders named gh-* modified since it started. */
export function dataFolders(since) {
  const base = tmpdir();
  return readdirSync(base, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith('gh-'))
    .map((e) => path.join(base, e.name))
    .filter((dir) => {
      try {
        return statSync(dir).mtimeMs >= since;
      } catch {
        return false;
      }
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const log = process.env.GATEHOUSE_SECRET_LOG ?? 'test-results/secrets-recorded.txt';
  const since = Number(process.env.GATEHOUSE_SCAN_SINCE ?? 0);
  const secrets = existsSync(log)
    ? new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))
    : new Set();
  const folders = dataFolders(since);
  const roots = [...folders, 'test-results', 'docs/screenshots'].filter((r) => existsSync(r));
  const { files, findings } = scanForSecrets({ secrets, roots });
  // The recorder's own list is the one place the secrets are meant to be.
  const real = findings.filter((f) => path.resolve(f.file) !== path.resolve(log));
  console.log(
    `secret scan: ${secrets.size} recorded secrets, ${files} files in ${folders.length} data folders + test-results + screenshots, ${real.length} found`,
  );
  for (const f of real.slice(0, 20))
    console.log(`  FOUND in ${f.file}: ${f.secret.slice(0, 6)}… (${f.secret.length} chars)`);
  if (secrets.size === 0) console.log('secret scan: nothing was recorded, so nothing is proven');
  process.exit(real.length === 0 && secrets.size > 0 ? 0 : 1);
}
