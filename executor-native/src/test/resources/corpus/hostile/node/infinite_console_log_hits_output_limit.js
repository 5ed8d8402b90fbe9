// expect: output_limit
// limits: max_output_bytes=65536
// stdout-length: 65536
const line = 'x'.repeat(99);
for (;;) console.log(line);
