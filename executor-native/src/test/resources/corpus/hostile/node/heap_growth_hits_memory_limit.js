// expect: memory_limit
// limits: memory_mb=128
// An ever-growing JavaScript heap: whether V8 gives up first ("heap out of memory") or the
// cgroup kills it, the job exceeded its memory and must be reported so.
const keep = [];
for (;;) keep.push(new Array(1 << 16).fill(keep.length));
