// sandq prestart preload (node -r THIS CODE_PATH): started before its job is known, inside the
// job's sandbox. In the main thread it waits on stdin for the job: 12 ASCII digits (the code's
// length) and the code, which it skips (node reads the code from CODE_PATH, written by then), then
// the input files' manifest the same way (one "SIZE EXECUTABLE PATH" line per file); it writes a
// byte on fd 3 (the launcher starts the job's limits), writes the input files (their contents
// follow on stdin) into the working directory, and returns: node then runs CODE_PATH as
// `node CODE_PATH` would (with input files, the program's relative requires resolve in the
// working directory, where they are). The rest of stdin is the job's.
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
  // As the job's uid, in its own new /tmp, before any of its code runs: nothing else is there yet
  // (node has no openat: paths are validated by the worker, and the file itself is never
  // followed if it is a link, nor overwritten).
  const writeInputFiles = (manifest) => {
    const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
    for (const line of manifest.split('\n')) {
      if (line === '') {
        continue;
      }
      const first = line.indexOf(' ');
      const second = line.indexOf(' ', first + 1);
      const size = Number(line.slice(0, first));
      const executable = line.slice(first + 1, second) === '1';
      const path = line.slice(second + 1);
      try {
        const slash = path.lastIndexOf('/');
        if (slash > 0) {
          fs.mkdirSync(path.slice(0, slash), { recursive: true, mode: 0o755 });
        }
        const fd = fs.openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, executable ? 0o755 : 0o644);
        try {
          const content = size > 0 ? readExactly(size) : Buffer.alloc(0);
          for (let done = 0; done < size;) {
            done += fs.writeSync(fd, content, done, size - done);
          }
        } finally {
          fs.closeSync(fd);
        }
      } catch (error) {
        process.stderr.write(`sandq: cannot write the input file ${path}: ${error.message}\n`);
        process.exit(1);
      }
    }
  };
  readExactly(Number(readExactly(12).toString('latin1')));
  const manifestLength = Number(readExactly(12).toString('latin1'));
  const manifest = manifestLength > 0 ? readExactly(manifestLength).toString('utf8') : '';
  fs.writeSync(3, 's');
  fs.closeSync(3);
  if (manifest !== '') {
    writeInputFiles(manifest);
    // The program's file is alone in its read-only directory; the modules it brought are in the
    // working directory: its own relative requires ('./lib.js') resolve there.
    const Module = require('module');
    const path = require('path');
    const codeDir = path.dirname(process.argv[1]);
    const resolveFilename = Module._resolveFilename;
    Module._resolveFilename = function (request, parent, ...rest) {
      if (parent && parent.filename && path.dirname(parent.filename) === codeDir && /^\.\.?\//.test(request)) {
        return resolveFilename.call(this, path.resolve(process.cwd(), request), parent, ...rest);
      }
      return resolveFilename.call(this, request, parent, ...rest);
    };
  }
  // Not inherited by the job's child processes, and not seen by the job.
  const self = process.execArgv.indexOf('-r');
  process.execArgv.splice(self, 2);
  delete require.cache[__filename];
}
