// expect: memory_limit
// limits: memory_mb=128
// Buffer.alloc is lazily zeroed by the kernel; fill() touches every page: the cgroup stops it.
const b = Buffer.allocUnsafeSlow(4 * 1024 * 1024 * 1024 - 1);
b.fill(1);
console.log('filled', b.length);
