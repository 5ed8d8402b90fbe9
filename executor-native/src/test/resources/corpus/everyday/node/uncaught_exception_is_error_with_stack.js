// expect: error
// stdout: before the exception
// stderr-contains: Error: sandq corpus: this exception is on purpose
// stderr-contains: at fail (/sandbox/main.js:
function fail() {
  throw new Error('sandq corpus: this exception is on purpose');
}
console.log('before the exception');
fail();
