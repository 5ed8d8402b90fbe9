// expect: error
// stderr-contains: ENOSPC
const fs = require('fs');
const chunk = Buffer.alloc(1 << 20, 1);
for (let i = 0; i < 100000; i++) fs.writeFileSync(`/tmp/fill-${i}`, chunk);
console.log('filled');
