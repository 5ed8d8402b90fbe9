// expect: timeout
// limits: wall_time_ms=500
// max-wall-ms: 1500
setTimeout(() => console.log('woke up'), 60_000);
