// sandq prestart preload (node -r THIS CODE_PATH): started before its job is known, inside the
// job's sandbox. In the main thread it waits on stdin for the job: 12 ASCII digits (the code's
// length) and the code, which it skips (node reads the code from CODE_PATH, written by then),
// writes a byte on fd 3 (the launcher starts the job's limits) and returns: node then runs
// CODE_PATH as `node CODE_PATH` would. The rest of stdin is the job's.
'use strict';
const { isMainThread } = require('worker_threads');

if (isMainThread) {
  const fs = require('fs');
  const readExactly = (n) => {
    const buffer = Buffer.alloc(n);
    for (let got = 0; got < n;) {
      const r = fs.readSync(0, buffer, got, n - got, null);
      if (r === 0) {
        process.exit(0); // the worker went away before handing over a job
      }
      got += r;
    }
    return buffer;
  };
  readExactly(Number(readExactly(12).toString('latin1')));
  fs.writeSync(3, 's');
  fs.closeSync(3);
  // Not inherited by the job's child processes, and not seen by the job.
  const self = process.execArgv.indexOf('-r');
  process.execArgv.splice(self, 2);
  delete require.cache[__filename];
}
