/**
 * The command line's grammar through the built CLI: node:util parseArgs in strict mode, so an
 * unknown flag or a stray argument exits 64 with the usage text, and every command accepts
 * `--json` (the helper passes it on every run).
 */
import { describe, expect, it } from 'vitest';
import { cliSandbox, runCli } from '../../support/cli';

const USAGE = 'Usage: gatehouse <command>';

describe('gatehouse argument parsing', () => {
  it('an unknown flag is a usage error (64) with the usage text', async () => {
    const { env } = cliSandbox();
    const run = await runCli(['providers', '--bogus'], { env });
    expect(run.code).toBe(64);
    expect(run.stderr).toContain("Unknown option '--bogus'");
    expect(run.stderr).toContain(USAGE);
    expect(run.stdout).toBe('');
  });

  it('a stray argument is a usage error (64), alone or after an unknown flag', async () => {
    const { env } = cliSandbox();
    for (const args of [
      ['providers', 'extra'],
      ['providers', '--bogus', 'extra'],
      ['accounts', 'extra'],
      ['sign-in', 'demo', 'extra'],
      ['doctor', 'demo', 'extra'],
    ]) {
      const run = await runCli(args, { env });
      expect(run.code, args.join(' ')).toBe(64);
      expect(run.stderr).toContain(USAGE);
    }
  });

  it('a flag of another command, or a value on a boolean flag, is a usage error', async () => {
    const { env } = cliSandbox();
    expect((await runCli(['accounts', '--device'], { env })).code).toBe(64);
    expect((await runCli(['accounts', '--json=yes'], { env })).code).toBe(64);
  });

  it('a missing argument is a usage error naming what is needed', async () => {
    const { env } = cliSandbox();
    const run = await runCli(['sign-out'], { env });
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('sign-out needs an account id');
  });

  it('--help and -h work on their own and on any command', async () => {
    const { env } = cliSandbox();
    for (const args of [['--help'], ['-h'], ['help'], ['accounts', '--help'], ['sign-in', '-h']]) {
      const run = await runCli(args, { env });
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stderr).toContain(USAGE);
    }
  });

  it('every command accepts --json', async () => {
    const { env } = cliSandbox({ prefix: 'gh-cli-json-' });
    const quiet = { ...env, WEBEX_CLIENT_ID: '', WEBEX_CLIENT_SECRET: '' };
    const cases: Array<{ args: string[]; code: number; json?: (value: unknown) => void }> = [
      { args: ['help'], code: 0 },
      { args: ['providers'], code: 0, json: (v) => expect(v).toHaveProperty('providers') },
      { args: ['accounts'], code: 0, json: (v) => expect(v).toEqual([]) },
      { args: ['sign-in', 'nope'], code: 4 },
      { args: ['refresh', 'demo:nobody'], code: 4 },
      { args: ['sign-out', 'demo:nobody'], code: 4 },
      { args: ['doctor', 'webex'], code: 5, json: (v) => expect(v).toHaveProperty('checks') },
    ];
    for (const { args, code, json } of cases) {
      const run = await runCli([...args, '--json'], { env: quiet });
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stderr, args.join(' ')).not.toContain('Unknown option');
      if (json) json(run.json());
    }
  });

  it('--json may come before the argument', async () => {
    const { env } = cliSandbox();
    const run = await runCli(['sign-out', '--json', 'demo:nobody'], { env });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('[account_unknown]');
  });
});
