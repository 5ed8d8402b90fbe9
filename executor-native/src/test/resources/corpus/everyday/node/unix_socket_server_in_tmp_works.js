// expect: ok
// stdout: echo: ping
const net = require('net');
const server = net.createServer((c) => c.pipe(c)).listen('/tmp/echo.sock', () => {
  const client = net.connect('/tmp/echo.sock', () => client.write('ping'));
  client.on('data', (d) => {
    console.log('echo: ' + d);
    client.end();
    server.close();
  });
});
