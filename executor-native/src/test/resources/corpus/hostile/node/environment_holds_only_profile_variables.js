// expect: ok
// stdout: unexpected variables: []
// stdout: HOME=/tmp TMPDIR=/tmp
// stdout: worker traces in values: []
// SANDQ_OUTPUT_DIR is the profile's own: where the job leaves the files it returns.
const allowed = new Set(['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'NODE_PATH', 'SANDQ_OUTPUT_DIR']);
console.log('unexpected variables: [' + Object.keys(process.env).filter((k) => !allowed.has(k)).sort().join(', ') + ']');
console.log(`HOME=${process.env.HOME} TMPDIR=${process.env.TMPDIR}`);
const traces = ['java', 'maven', 'kafka', '/root', 'secret', 'token', 'password', 'aws'];
const values = Object.values(process.env).map((v) => v.toLowerCase());
console.log('worker traces in values: [' + traces.filter((t) => values.some((v) => v.includes(t))).join(', ') + ']');
