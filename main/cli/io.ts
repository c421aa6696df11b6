/** What a command may touch: its two output streams and the environment (tests pass their own). */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  /** The package version, read by the entry (main.ts), which knows where package.json is. */
  version?: string;
}

/** A command's result on stdout. JSON is today's only format; `--json` asks for it explicitly. */
export function printResult(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
