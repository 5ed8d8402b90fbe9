// expect: timeout
// limits: wall_time_ms=10000 cpu_time_ms=600
// max-wall-ms: 4000
// Four workers spin on every core: the CPU limit counts all threads of the job together.
const { Worker } = require('worker_threads');
for (let i = 0; i < 4; i++) new Worker('for (;;) {}', { eval: true });
for (;;) {}
