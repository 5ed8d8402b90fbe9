// expect: ok
// stdout: echo: ping
// known-gap: bind and listen are only in the network policy, so a net server on a unix socket in the job's own /tmp is killed (syscall_denied)
const net = require('net');
const server = net.createServer((c) => c.pipe(c)).listen('/tmp/echo.sock', () => {
  const client = net.connect('/tmp/echo.sock', () => client.write('ping'));
  client.on('data', (d) => {
    console.log('echo: ' + d);
    client.end();
    server.close();
  });
});
