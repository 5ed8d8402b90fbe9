// expect: ok
// stdout: sums: 4950,14950,24950,34950
// stdout: shared: 4000
const { Worker } = require('worker_threads');
const code = `
const { parentPort, workerData } = require('worker_threads');
let s = 0;
for (let i = workerData.from; i < workerData.from + 100; i++) s += i;
if (workerData.shared) {
  const a = new Int32Array(workerData.shared);
  for (let i = 0; i < 1000; i++) Atomics.add(a, 0, 1);
}
parentPort.postMessage(s);
`;
const shared = new SharedArrayBuffer(4);
const run = (from) => new Promise((resolve, reject) => {
  const w = new Worker(code, { eval: true, workerData: { from, shared } });
  w.once('message', resolve);
  w.once('error', reject);
});
Promise.all([0, 100, 200, 300].map(run)).then((sums) => {
  console.log('sums: ' + sums.join(','));
  console.log('shared: ' + new Int32Array(shared)[0]);
});
