// expect: ok
// stdout: ppid: 1
// stdout: kill(1, SIGKILL): EPERM
// stdout: kill(1, SIGTERM): EPERM
console.log('ppid: ' + process.ppid);
for (const sig of ['SIGKILL', 'SIGTERM']) {
  try {
    process.kill(process.ppid, sig);
    console.log(`kill(1, ${sig}): SENT`);
  } catch (e) {
    console.log(`kill(1, ${sig}): ${e.code}`);
  }
}
