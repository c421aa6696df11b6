/** What a command may touch: its two output streams and the environment (tests pass their own). */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  /** The package version, read by the entry (main.ts), which knows where package.json is. */
  version?: string;
}

/**
 * A command's result on stdout: `value` as JSON with `--json` (the machine format, whose shapes
 * docs/cli.md documents), otherwise the text `human` renders for a person (render.ts).
 */
export function printResult(
  io: CliIo,
  format: { json: boolean },
  value: unknown,
  human: () => string,
): void {
  io.out(format.json ? JSON.stringify(value, null, 2) : human());
}
