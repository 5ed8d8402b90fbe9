// expect: ok
// stdout: sync: hello, sandq
// stdout: entries: hello.txt,promised.txt
// stdout: async: promised
// stdout: mkdtemp under /tmp: true
const fs = require('fs');
const path = require('path');
const os = require('os');
fs.mkdirSync('/tmp/notes', { recursive: true });
fs.writeFileSync('/tmp/notes/hello.txt', 'hello, sandq');
console.log('sync: ' + fs.readFileSync('/tmp/notes/hello.txt', 'utf8'));
(async () => {
  await fs.promises.writeFile('/tmp/notes/promised.txt', 'promised');
  console.log('entries: ' + fs.readdirSync('/tmp/notes').sort().join(','));
  console.log('async: ' + (await fs.promises.readFile('/tmp/notes/promised.txt', 'utf8')));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x-'));
  console.log('mkdtemp under /tmp: ' + dir.startsWith('/tmp/'));
})();
