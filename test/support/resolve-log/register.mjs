// `node --import ./register.mjs …`: installs the resolve hook of hooks.mjs, which appends every
// URL the process resolves to the file named by GATEHOUSE_RESOLVE_LOG (the lazy-import test).
import { register } from 'node:module';

const file = process.env.GATEHOUSE_RESOLVE_LOG;
if (file) register('./hooks.mjs', import.meta.url, { data: { file } });
