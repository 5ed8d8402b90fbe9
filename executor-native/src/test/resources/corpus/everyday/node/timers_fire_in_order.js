// expect: ok
// stdout: sync
// stdout: nextTick
// stdout: microtask
// stdout: timeout 0
// stdout: immediate
// stdout: timeout 30
// stdout: interval 3
const { setTimeout: sleep } = require('timers/promises');
console.log('sync');
setTimeout(() => console.log('timeout 30'), 30);
setTimeout(() => {
  console.log('timeout 0');
  setImmediate(() => console.log('immediate'));
}, 0);
Promise.resolve().then(() => console.log('microtask'));
process.nextTick(() => console.log('nextTick'));
let ticks = 0;
const handle = setInterval(async () => {
  if (++ticks === 3) {
    clearInterval(handle);
    await sleep(1);
    console.log('interval 3');
  }
}, 20);
