/** Lints text or files with the project's own eslint.config.js, as `npx eslint .` would. */
import { ESLint } from 'eslint';

export const eslint = new ESLint({ cwd: process.cwd() });

/** The messages of one rule for `code` linted as if it were the file at `filePath`. */
export async function ruleMessages(filePath: string, code: string, ruleId: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === ruleId).map((m) => m.message);
}
