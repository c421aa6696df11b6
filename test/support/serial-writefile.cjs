/**
 * Loaded with --require into @doyensec/electronegativity only. Its CSV writer starts two
 * fs.writeFile calls at once (the header with flag "w", then the rows with flag "a"), so the
 * header can truncate or overwrite the rows. Doing each write synchronously, in call order,
 * makes the report whole every time; the callback still runs asynchronously.
 */
'use strict';
const fs = require('node:fs');

fs.writeFile = function writeFileInOrder(file, data, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  const opts = typeof options === 'function' ? undefined : options;
  let error = null;
  try {
    fs.writeFileSync(file, data, opts);
  } catch (e) {
    error = e;
  }
  if (cb) process.nextTick(cb, error);
};
