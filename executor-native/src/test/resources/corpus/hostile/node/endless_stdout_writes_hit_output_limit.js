// expect: output_limit
// limits: max_output_bytes=65536
// stdout-length: 65536
// Writes forever, as fast as the pipe takes them (honouring backpressure): the worker keeps
// exactly the cap and stops the job. (A bare `for (;;) console.log(x)` never yields to the event
// loop: once the pipe is momentarily full, node queues the rest in memory, so under load that
// variant can end memory_limit before its output reaches the cap. Either way it is contained.)
const line = 'x'.repeat(99) + '\n';
function spam() {
  while (process.stdout.write(line)) {
    // keep writing while the pipe accepts
  }
  process.stdout.once('drain', spam);
}
spam();
