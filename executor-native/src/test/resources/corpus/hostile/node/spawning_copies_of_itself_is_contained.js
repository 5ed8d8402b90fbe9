// expect: timeout
// limits: wall_time_ms=1500
// max-wall-ms: 4000
// A spawn bomb: node starts copies of itself forever, ignoring failures. The process limit keeps
// the copies few (spawn fails with EAGAIN), the wall clock ends the job, and none survives it.
const { spawn } = require('child_process');
function again() {
  try {
    const c = spawn(process.execPath, [__filename], { stdio: 'ignore' });
    c.on('error', () => setTimeout(again, 10));
    c.on('exit', () => setTimeout(again, 10));
  } catch (e) {
    setTimeout(again, 10);
  }
}
again();
again();
setInterval(() => {}, 1000);
