/** The command line's grammar in-process: parseCommandLine and runCli's help and usage paths. */
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../main/cli/index';
import { COMMAND_NAMES, parseCommandLine } from '../../../main/cli/parse';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const sink: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: {} };
  return { sink, out, err };
}

describe('parseCommandLine', () => {
  it('knows the nine commands (status and token: issue 14 item 6)', () => {
    expect(COMMAND_NAMES).toEqual([
      'help',
      'providers',
      'accounts',
      'status',
      'sign-in',
      'refresh',
      'token',
      'sign-out',
      'doctor',
    ]);
  });

  it('token needs an account id', () => {
    expect(parseCommandLine(['token'])).toEqual({
      kind: 'usage',
      message: 'token needs an account id (see "gatehouse accounts")',
    });
  });

  it('parses sign-in with its flags, in any order', () => {
    expect(parseCommandLine(['sign-in', '--no-open', 'github', '--device', '--json'])).toEqual({
      kind: 'run',
      command: { name: 'sign-in', target: 'github', device: true, openBrowser: false, json: true },
    });
    expect(parseCommandLine(['sign-in', 'demo'])).toEqual({
      kind: 'run',
      command: { name: 'sign-in', target: 'demo', device: false, openBrowser: true, json: false },
    });
  });

  it.each([
    [['providers', '--bogus'], "providers: Unknown option '--bogus'"],
    [['providers', 'extra'], "providers: Unexpected argument 'extra'"],
    [['refresh', 'a', 'b'], 'refresh: unexpected argument "b"'],
    [['doctor'], 'doctor needs a provider id'],
    [['sign-in', ''], 'sign-in needs a provider id'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['--json'], 'unknown command "--json"'],
    [['toString'], 'unknown command "toString"'],
    [['accounts', '--json=1'], "accounts: Option '--json' does not take an argument"],
  ])('%j is a usage error', (argv, message) => {
    const parsed = parseCommandLine(argv);
    expect(parsed.kind).toBe('usage');
    expect(parsed.kind === 'usage' && parsed.message).toContain(message);
  });

  it('help: exit 0 when asked for, 64 for a bare `gatehouse`', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help', exitCode: 0 });
    expect(parseCommandLine(['help', '--json'])).toEqual({ kind: 'help', exitCode: 0 });
    expect(parseCommandLine(['doctor', '-h'])).toEqual({ kind: 'help', exitCode: 0 });
    expect(parseCommandLine([])).toEqual({ kind: 'help', exitCode: 64 });
  });

  it('the argument may follow `--`, even when it starts with a dash', () => {
    const parsed = parseCommandLine(['sign-out', '--json', '--', '-odd-id']);
    expect(parsed).toMatchObject({ kind: 'run', command: { target: '-odd-id', json: true } });
  });
});

describe('runCli without the engine', () => {
  it('prints the usage on stderr and nothing on stdout', async () => {
    const { sink, out, err } = io();
    expect(await runCli(['--help'], sink)).toBe(0);
    expect(out).toEqual([]);
    expect(err.join('\n')).toContain('Exit codes:');
  });

  it('reports a usage error with the message, then the usage', async () => {
    const { sink, err } = io();
    expect(await runCli(['providers', '--bogus', 'extra'], sink)).toBe(64);
    expect(err.join('\n')).toMatch(/^gatehouse: providers: Unknown option '--bogus'[^]*Usage:/);
  });
});
