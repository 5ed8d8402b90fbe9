// expect: error
// stderr-contains: RangeError: Maximum call stack size exceeded
function down(n) { return down(n + 1) + 1; }
down(0);
