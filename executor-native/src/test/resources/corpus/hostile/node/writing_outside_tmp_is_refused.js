// expect: ok
// stdout: /sandbox/main.js: refused
// stdout: /usr/bin/node: refused
// stdout: /usr/share/nodejs/evil.js: refused
// stdout: /etc/passwd: refused
// stdout: /newfile: refused
// stdout: /tmp/ok: written
const fs = require('fs');
for (const p of ['/sandbox/main.js', '/usr/bin/node', '/usr/share/nodejs/evil.js', '/etc/passwd', '/newfile', '/tmp/ok']) {
  try {
    fs.appendFileSync(p, 'pwned\n');
    console.log(p + ': ' + (p.startsWith('/tmp/') ? 'written' : 'WROTE'));
  } catch (e) {
    console.log(p + ': refused');
  }
}
