// expect: ok
// stdout: {"a":[1,2.5,null,true],"b":{"c":"été"}}
// stdout: {
// stdout:   "n": 42
// stdout: }
// stdout: true
const doc = { a: [1, 2.5, null, true], b: { c: 'été' } };
const text = JSON.stringify(doc);
console.log(text);
console.log(JSON.stringify({ n: 42 }, null, 2));
console.log(JSON.stringify(JSON.parse(text)) === text);
