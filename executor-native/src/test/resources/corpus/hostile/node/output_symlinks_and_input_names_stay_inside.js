// expect: ok
// input-file: lib/config.json={"answer": 42}
// files: mine.json
// files-truncated: true
// files-not-contains: sandbox:x:
// stdout: 42
// A Node job reads the input file it brought (written under its working directory, where its
// relative paths resolve), then plants links in its output directory to /etc/passwd and to its
// working directory, and leaves one file of its own: only that file comes back; the links are
// left out and flagged, never followed.
const fs = require('fs');
const out = process.env.SANDQ_OUTPUT_DIR;
const answer = require('./lib/config.json').answer;
console.log(answer);
fs.symlinkSync('/etc/passwd', `${out}/passwd`);
fs.symlinkSync('/tmp', `${out}/tmp`);
fs.writeFileSync(`${out}/mine.json`, JSON.stringify({ answer }));
