/** A full garbage collection on demand, without --expose-gc on the command line. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
export const fullGc = runInNewContext('gc') as () => void;
