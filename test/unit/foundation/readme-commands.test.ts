/**
 * Every command the README shows is either run by a test or on one explicit allow-list, with the
 * reason. A command is a line of a ```sh block (split at `&&`, comment dropped) or an inline code
 * span that starts with `npm `, `npx `, `sudo ` or `gatehouse `. "Run by" is checked, not
 * trusted: the named file must exist and contain what runs the command. The command-line block
 * itself is run, line by line, by test/integration/cli/readme-commands.test.ts, which reads it
 * from the README.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../support/cli';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SCRIPTS = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

/** A file that runs the command, and the text in it that does (a script body, an argv). */
interface RunBy {
  file: string;
  runs: string;
}
type Proof = RunBy | { allow: string };

const README_CLI_TEST = 'test/integration/cli/readme-commands.test.ts';
const cliBlock: RunBy = { file: README_CLI_TEST, runs: "'## The command line'" };

const PROOFS: Record<string, Proof> = {
  'npm ci': { file: '.ci/run', runs: 'npm ci' },
  'npm test': { file: '.ci/run', runs: 'npm test' },
  'npm start': { file: 'test/integration/start/start-explains.test.ts', runs: "['start']" },
  'npm run preview': { file: 'test/browser/preview.spec.ts', runs: "'main/preview/main.ts'" },
  // The harness runs the script's body (checked below), so a test never needs npm on PATH.
  'npm run build:main': { file: 'test/support/cli.ts', runs: "'build', '--mode', 'main'" },
  'npm run bench': { file: 'test/integration/bench/bench-smoke.test.ts', runs: "'bench/run.ts'" },
  'npx gatehouse sign-in demo': cliBlock,
  'npx gatehouse status': cliBlock,
  'npx gatehouse token demo:alice': cliBlock,
  'npx gatehouse sign-out demo:alice': cliBlock,
  'npx gatehouse doctor demo': cliBlock,
  'npx gatehouse doctor {id}': { file: 'test/integration/cli/cli.test.ts', runs: "'doctor'" },
  'npx gatehouse sign-in {id} --device': {
    file: 'test/integration/cli/device-oidc.test.ts',
    runs: "'--device'",
  },
  'gatehouse sign-in': {
    file: 'test/integration/cli/keychain-early-stop.test.ts',
    runs: "'sign-in'",
  },
  'gatehouse token': cliBlock,
  'gatehouse providers': { file: 'test/integration/cli/cli-args.test.ts', runs: "['providers'" },
  'sudo apt-get install chromium dbus gnome-keyring libsecret-tools': {
    allow: 'an install step; .ci/run installs the same packages (checked below)',
  },
  'npm run electron:install': {
    allow:
      "downloads from GitHub, which this project's test machine cannot reach; start-explains.test.ts checks that npm start names it",
  },
};

/** Lines of ```sh blocks, split at `&&`, without their comments. */
function fencedCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^\s*```sh\n([\s\S]*?)^\s*```/gm)].map((m) => m[1]!);
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '')
    .flatMap((line) => line.split('&&').map((part) => part.trim()));
}

function inlineCommands(markdown: string): string[] {
  const outside = markdown.replace(/^\s*```[\s\S]*?^\s*```/gm, '');
  return [...outside.matchAll(/`([^`\n]+)`/g)]
    .map((m) => m[1]!.trim())
    .filter((span) => /^(npm|npx|sudo|gatehouse) /.test(span));
}

const commands = [...new Set([...fencedCommands(README), ...inlineCommands(README)])];

describe("the README's commands", () => {
  it('are found (the extraction sees the set-up block and the command line)', () => {
    expect(commands).toEqual(expect.arrayContaining(['npm ci', 'npx gatehouse status']));
  });

  it.each(commands)('%s is run by a test or on the allow-list', (command) => {
    const proof = PROOFS[command];
    expect(proof, `add "${command}" to PROOFS with the test that runs it`).toBeDefined();
    if (proof === undefined || 'allow' in proof) return;
    const file = path.join(ROOT, proof.file);
    expect(existsSync(file), `${proof.file} does not exist`).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(proof.runs);
  });

  it('lists no command the README no longer shows', () => {
    expect(Object.keys(PROOFS).filter((c) => !commands.includes(c))).toEqual([]);
  });

  it('names npm scripts that exist, whose bodies are what their tests run', () => {
    for (const command of commands) {
      const script = /^npm run ([\w:-]+)/.exec(command)?.[1];
      if (script !== undefined) expect(SCRIPTS[script], command).toBeDefined();
    }
    expect(SCRIPTS.preview).toContain('main/preview/main.ts');
    expect(SCRIPTS['build:main']).toContain('vite build --mode main');
    expect(SCRIPTS.bench).toContain('bench/run.ts');
  });

  it('installs with apt only the packages .ci/run installs', () => {
    const ci = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    const apt = commands.find((c) => c.startsWith('sudo apt-get install '))!;
    for (const pkg of apt.split(' ').slice(3)) expect(ci).toContain(pkg);
  });

  it('stays under about 250 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(260);
  });
});
