// expect: error
// stderr-contains: Error: connect
// With the network off nothing answers: the connection error is thrown and ends the job (a
// careful policy answers socket() with an error or lets connect fail, it does not crash node).
const net = require('net');
const socket = net.connect({ host: '1.1.1.1', port: 443 });
socket.on('connect', () => { console.log('CONNECTED'); socket.destroy(); });
