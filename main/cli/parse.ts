/**
 * The command line's grammar: `gatehouse <command> [arguments] [options]`, parsed per command by
 * node:util parseArgs in strict mode, so an unknown flag or a stray argument is a usage error.
 * This module loads nothing of the engine: `gatehouse --help` stays fast.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT } from './exit-codes';

type Options = NonNullable<ParseArgsConfig['options']>;

interface CommandSpec {
  /** The positional argument, if the command takes one (it is then required). */
  argument?: { missing: string };
  options?: Options;
}

const COMMANDS = {
  help: {},
  providers: {},
  accounts: {},
  status: {},
  'sign-in': {
    argument: { missing: 'sign-in needs a provider id (see "gatehouse providers")' },
    options: {
      device: { type: 'boolean' },
      'no-open': { type: 'boolean' },
      'no-remember': { type: 'boolean' },
    },
  },
  refresh: { argument: { missing: 'refresh needs an account id (see "gatehouse accounts")' } },
  token: { argument: { missing: 'token needs an account id (see "gatehouse accounts")' } },
  'sign-out': { argument: { missing: 'sign-out needs an account id (see "gatehouse accounts")' } },
  doctor: { argument: { missing: 'doctor needs a provider id' } },
} satisfies Record<string, CommandSpec>;

export type CommandName = Exclude<keyof typeof COMMANDS, 'help'>;
export const COMMAND_NAMES = Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>;

const COMMON: Options = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

export interface CliCommand {
  name: CommandName;
  /** The provider or account id of the commands that take one. */
  target: string;
  device: boolean;
  openBrowser: boolean;
  json: boolean;
  /** false with `sign-in --no-remember`: the session stays in memory, for this run only. */
  remember?: false;
}

export type Parsed =
  | { kind: 'help'; exitCode: number }
  | { kind: 'usage'; message: string }
  | { kind: 'run'; command: CliCommand };

export function parseCommandLine(argv: string[]): Parsed {
  const [first, ...rest] = argv;
  // A bare `gatehouse` shows the usage but is still a usage error.
  if (!first) return { kind: 'help', exitCode: EXIT.usage };
  const name = first === '--help' || first === '-h' ? 'help' : first;
  if (!Object.hasOwn(COMMANDS, name))
    return { kind: 'usage', message: `unknown command "${first}"` };
  const spec: CommandSpec = COMMANDS[name as keyof typeof COMMANDS];
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: spec.argument !== undefined,
      options: { ...COMMON, ...spec.options },
    });
  } catch (error) {
    return { kind: 'usage', message: `${name}: ${(error as Error).message}` };
  }
  const { values, positionals } = parsed;
  if (name === 'help' || values.help) return { kind: 'help', exitCode: EXIT.ok };
  if (positionals.length > 1)
    return { kind: 'usage', message: `${name}: unexpected argument "${positionals[1]}"` };
  const target = positionals[0] ?? '';
  if (spec.argument && !target) return { kind: 'usage', message: spec.argument.missing };
  const command: CliCommand = {
    name: name as CommandName,
    target,
    device: values.device === true,
    openBrowser: values['no-open'] !== true,
    json: values.json === true,
    ...(values['no-remember'] === true ? { remember: false as const } : {}),
  };
  return { kind: 'run', command };
}
