// expect: ok
// stdout: [ 1, 4, 9 ]
// stdout: caught: boom
// stdout: race: fast
// stdout: settled: fulfilled,rejected
const delay = (ms, v) => new Promise((resolve) => setTimeout(() => resolve(v), ms));
async function square(n) {
  await delay(5 * (3 - n));
  return n * n;
}
async function main() {
  console.log(await Promise.all([1, 2, 3].map(square)));
  try {
    await Promise.reject(new Error('boom'));
  } catch (e) {
    console.log('caught:', e.message);
  }
  console.log('race:', await Promise.race([delay(50, 'slow'), delay(1, 'fast')]));
  const settled = await Promise.allSettled([delay(1, 1), Promise.reject(new Error('x'))]);
  console.log('settled:', settled.map((s) => s.status).join(','));
}
main();
