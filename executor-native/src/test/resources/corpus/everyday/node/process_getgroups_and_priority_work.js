// expect: ok
// stdout: groups: []
// stdout: priority: 0
// known-gap: getgroups and getpriority are not on the nodejs allowlist, so the job is killed (syscall_denied)
const gid = process.getgid();
console.log('groups: [' + process.getgroups().filter((g) => g !== gid).join(',') + ']');
console.log('priority: ' + require('os').getPriority());
