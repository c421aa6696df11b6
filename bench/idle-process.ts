/**
 * P6's floor. The bench runs on machines whose few cores it shares with the provider's process,
 * the Secret Service daemon, D-Bus and the disk, and the operating system's scheduler can hold
 * any thread off its core for a few milliseconds: an event loop with no work at all still shows
 * gaps. An idle Node process (bench/idle-child.ts) runs the same histogram over each P6 window,
 * so each row shows, beside the main thread's longest block, the longest one the machine alone
 * caused. One process for the whole run, started on first use; it ends with the bench.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DEADLINE_MS = 10_000;
let started: Promise<ChildProcess> | null = null;

function idleProcess(): Promise<ChildProcess> {
  started ??= new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./idle-child.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => reject(new Error('the idle process did not start')), 30_000);
    child.once('message', () => {
      clearTimeout(timer);
      // Neither the child nor its channel keeps the bench alive.
      child.unref();
      child.channel?.unref();
      resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the idle process exited (${code})`)));
  });
  return started;
}

function ask<T>(child: ChildProcess, message: 'start' | 'stop'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the idle process did not answer "${message}"`)),
      DEADLINE_MS,
    );
    child.channel?.ref();
    child.once('message', (answer: T) => {
      clearTimeout(timer);
      child.channel?.unref();
      resolve(answer);
    });
    child.send(message);
  });
}

/** Starts the idle process's window; the function it returns ends it and gives its longest gap. */
export async function idleWindow(): Promise<() => Promise<number>> {
  const child = await idleProcess();
  await ask<'started'>(child, 'start');
  return () => ask<number>(child, 'stop');
}
