// expect: ok
// stdout-contains: ppid: 1
// stdout-contains: parent still there: true
// The job's parent is its PID namespace's init. In privilege mode root the job may not signal it
// (EPERM); in privilege mode userns init shares the job's uid, the signals are sent, and the kernel
// drops them (a namespace's init gets no signal from inside without a handler, SIGKILL included).
// Either way init stays, and so does the job: had init died, the job would have been killed.
console.log('ppid: ' + process.ppid);
for (const sig of ['SIGKILL', 'SIGTERM']) {
  try {
    process.kill(process.ppid, sig);
    console.log(`kill(1, ${sig}): SENT`);
  } catch (e) {
    console.log(`kill(1, ${sig}): ${e.code}`);
  }
}
setTimeout(() => console.log('parent still there: ' + (process.ppid === 1)), 100);
