/**
 * The idle process of P6's floor (bench/idle-process.ts): an event loop with nothing to do,
 * measured by the same 1 ms histogram as the bench's main thread. Asked "start", it resets the
 * histogram and answers "started"; asked "stop", it answers its longest gap in ms. It exits when
 * the bench does (the IPC channel closes).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 1 });
process.on('message', (message: 'start' | 'stop') => {
  if (message === 'start') {
    histogram.reset();
    histogram.enable();
    process.send!('started');
  } else {
    histogram.disable();
    process.send!(histogram.max / 1e6);
  }
});
process.on('disconnect', () => process.exit(0));
process.send!('ready');
