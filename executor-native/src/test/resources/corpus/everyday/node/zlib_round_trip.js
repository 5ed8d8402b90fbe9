// expect: ok
// stdout: sync: true
// stdout: gzip smaller: true
// stdout: async: sandq sandq sandq sandq
const zlib = require('zlib');
const input = Buffer.from('sandq '.repeat(1000));
const deflated = zlib.deflateSync(input);
console.log('sync:', zlib.inflateSync(deflated).equals(input));
console.log('gzip smaller:', zlib.gzipSync(input).length < input.length / 10);
zlib.brotliCompress(Buffer.from('sandq sandq sandq sandq'), (err, out) => {
  if (err) throw err;
  zlib.brotliDecompress(out, (err2, back) => {
    if (err2) throw err2;
    console.log('async:', back.toString());
  });
});
