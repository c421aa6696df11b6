/**
 * The command line's browser opener: $BROWSER if set (as xdg-open honours it), otherwise the
 * OS default. The URL passed is the loopback's short one-time /signin link, so the long
 * authorization URL never appears in a process list.
 */
import { spawn } from 'node:child_process';

export function openWithSystemBrowser(
  url: string,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  const browser = env.BROWSER?.split(':').find((b) => b.trim().length > 0);
  const [command, args] = browser
    ? [browser, [url]]
    : process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
