// expect: syscall_denied
// stdout: calling process.setuid(0)
// Same as the Python case: setuid is not on the allowlist, so the attempt kills the job.
console.log('calling process.setuid(0)');
process.setuid(0);
console.log('came back');
process.exit(3);
