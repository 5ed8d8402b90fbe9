// expect: ok
// stdout: /etc/shadow: unreadable
// stdout: /proc/1/environ: unreadable
// stdout: /proc/1/root: unreadable
// stdout: /root/.ssh/id_rsa: unreadable
// stdout: /run/sandq-corpus-probe.sock: unreadable
const fs = require('fs');
for (const p of ['/etc/shadow', '/proc/1/environ', '/proc/1/root', '/root/.ssh/id_rsa', '/run/sandq-corpus-probe.sock']) {
  try {
    const st = fs.statSync(p);
    console.log(p + ': READ ' + (st.isDirectory() ? fs.readdirSync(p).slice(0, 5) : fs.readFileSync(p).subarray(0, 40)));
  } catch (e) {
    console.log(p + ': unreadable');
  }
}
