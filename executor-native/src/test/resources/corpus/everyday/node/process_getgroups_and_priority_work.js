// expect: ok
// stdout: groups: []
// stdout: priority: 0
const gid = process.getgid();
console.log('groups: [' + process.getgroups().filter((g) => g !== gid).join(',') + ']');
console.log('priority: ' + require('os').getPriority());
