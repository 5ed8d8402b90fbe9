// expect: ok
// stdin: first line
// stdin: {"n": 41}
// stdout: read: first line
// stdout: n+1 = 42
let data = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { data += chunk; });
process.stdin.on('end', () => {
  const [first, second] = data.split('\n');
  console.log('read: ' + first);
  console.log('n+1 = ' + (JSON.parse(second).n + 1));
});
