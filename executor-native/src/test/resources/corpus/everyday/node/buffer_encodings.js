// expect: ok
// stdout: c2FuZHE6IGhlbGxvLCB3b3JsZCE=
// stdout: 73616e6471
// stdout: sandq: hello, world!
// stdout: 258 1027
// stdout: true
const b = Buffer.from('sandq: hello, world!');
console.log(b.toString('base64'));
console.log(b.subarray(0, 5).toString('hex'));
console.log(Buffer.from(b.toString('base64'), 'base64').toString('utf8'));
const n = Buffer.alloc(4);
n.writeUInt16BE(258, 0);
n.writeUInt16LE(1027, 2);
console.log(n.readUInt16BE(0), n.readUInt16LE(2));
console.log(Buffer.concat([Buffer.from('ab'), Buffer.from('c')]).equals(Buffer.from('abc')));
