'use strict';
// sandq harness, function mode (nodejs). See dev.sandq.modes.JobProgram and function.py.
//
// Standard input starts with a 51-byte header "SANDQ1 <32 hex nonce> <10-digit length>\n" and that
// many bytes of JSON {"mode", "code", "preload", "inputs"}; the rest is the job's own stdin. The
// harness reads both before any user code runs, and at the end writes one frame on fd 1:
// "\n<<sandq-result NONCE>>" + JSON + "<</sandq-result NONCE>>\n" with {"result": value} or
// {"error": "one sentence"}. Output printed by the user's code cannot make a frame without the
// nonce. Every function the harness calls after user code ran was captured here first (fs.readSync
// and writeSync, JSON.stringify/parse, Array.isArray, Reflect.apply, the Buffer and String methods),
// and Node's own fs uses its frozen primordials, so user code that replaces JSON, console.log,
// process.stdout.write, parseInt or prototype methods does not change what the harness reports.
(function sandqHarness() {
  const fs = require('fs');
  const vm = require('vm');
  const { createRequire } = require('module');
  const readSync = fs.readSync;
  const writeSync = fs.writeSync;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const apply = Reflect.apply;
  const isArray = Array.isArray;
  const bufferFrom = Buffer.from;
  const bufferAlloc = Buffer.alloc;
  const bufferToString = Buffer.prototype.toString;
  const bufferSubarray = Buffer.prototype.subarray;
  const stringSlice = String.prototype.slice;
  const stringSplit = String.prototype.split;
  const toStr = String;
  const numberOf = Number;
  const exit = process.reallyExit.bind(process);
  const stderrWrite = (text) => { try { writeSync(2, text); } catch (ignored) { /* stderr gone */ } };

  function readExactly(n) {
    const buf = bufferAlloc(n);
    let got = 0;
    while (got < n) {
      let read;
      try {
        read = readSync(0, buf, got, n - got, null);
      } catch (e) {
        if (e.code === 'EAGAIN') continue;
        throw e;
      }
      if (read === 0) throw new Error('sandq harness: standard input ended inside the job header');
      got += read;
    }
    return buf;
  }

  const header = apply(stringSplit, apply(bufferToString, readExactly(51), ['ascii']), [' ']);
  const nonce = header[1];
  const job = parse(apply(bufferToString, readExactly(numberOf(header[2])), ['utf8']));

  function send(body) {
    const frame = bufferFrom('\n<<sandq-result ' + nonce + '>>' + body + '<</sandq-result ' + nonce + '>>\n', 'utf8');
    let off = 0;
    while (off < frame.length) {
      try {
        off += writeSync(1, frame, off, frame.length - off);
      } catch (e) {
        if (e.code !== 'EAGAIN') throw e;
      }
    }
  }

  function fail(sentence) {
    while (sentence.length > 1 && sentence[sentence.length - 1] === '.' && sentence[sentence.length - 2] === '.') {
      sentence = apply(stringSlice, sentence, [0, sentence.length - 1]);
    }
    if (sentence.length > 2000) sentence = apply(stringSlice, sentence, [0, 2000]) + '...';
    send('{"error":' + stringify(sentence) + '}');
    exit(1);
  }

  function describe(e) {
    try {
      if (e !== null && typeof e === 'object') {
        const name = toStr(e.name);
        const message = toStr(e.message);
        return message ? name + ': ' + message : name;
      }
      return 'the value ' + toStr(e);
    } catch (ignored) {
      return 'an error that cannot be described';
    }
  }

  function printStack(e) {
    try {
      stderrWrite((e !== null && typeof e === 'object' && e.stack ? toStr(e.stack) : describe(e)) + '\n');
    } catch (ignored) {
      stderrWrite(describe(e) + '\n');
    }
  }

  // CommonJS-style: user code gets require, module, exports; main is returned from the wrapper.
  function run(source, filename, what, tail) {
    const module = { exports: {} };
    let fn;
    try {
      fn = new vm.Script('(function (exports, require, module, __filename, __dirname) {' + source + '\n' + tail + '\n})',
        { filename }).runInThisContext();
    } catch (e) {
      printStack(e);
      fail(what + ' has a syntax error: ' + describe(e) + '.');
    }
    try {
      return apply(fn, undefined, [module.exports, createRequire('/sandbox/' + filename), module,
        '/sandbox/' + filename, '/sandbox']);
    } catch (e) {
      printStack(e);
      fail(what + ' threw ' + describe(e) + '.');
    }
    return undefined;
  }

  if (job.preload) run(job.preload, 'preload.js', 'The preload', '');
  const main = run(job.code, 'code.js', 'The code',
    ';return typeof main !== "undefined" ? main : (module.exports && module.exports.main);');
  if (main === undefined || main === null) fail('The code does not define a function named main.');
  if (typeof main !== 'function') fail('main is a ' + typeof main + ', not a function.');

  function finish(value) {
    if (value === null || typeof value !== 'object' || isArray(value)) {
      fail('main returned ' + (value === null ? 'null' : isArray(value) ? 'an array' : value === undefined
        ? 'undefined' : 'a ' + typeof value) + '; it must return an object (a JSON object).');
    }
    let text;
    try {
      text = stringify(value);
    } catch (e) {
      fail("main's return value cannot be serialised as JSON: " + describe(e) + '.');
    }
    if (typeof text !== 'string' || text[0] !== '{') {
      fail("main's return value cannot be serialised as JSON: its toJSON does not give an object.");
    }
    send('{"result":' + text + '}');
  }

  let value;
  try {
    value = apply(main, undefined, [job.inputs]);
  } catch (e) {
    printStack(e);
    fail('main threw ' + describe(e) + '.');
  }
  if (value !== null && typeof value === 'object' && typeof value.then === 'function') {
    (async () => {
      let settled;
      try {
        settled = await value;
      } catch (e) {
        printStack(e);
        fail('main threw ' + describe(e) + '.');
      }
      finish(settled);
    })();
  } else {
    finish(value);
  }
})();
