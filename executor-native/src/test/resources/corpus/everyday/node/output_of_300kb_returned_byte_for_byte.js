// expect: ok
// stdout-length: 307200
// stdout-sha256: 11f4c0eacbe697768b7916fe2149fb7ed6f09d77b739fc6e225a7e2649b9165f
// The same 307200 bytes as the Python program: 4800 lines of 64 bytes, written in one go.
const filler = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU'.slice(0, 64 - 8);
const lines = [];
for (let i = 0; i < 4800; i++) lines.push(String(i).padStart(6, '0') + ' ' + filler + '\n');
process.stdout.write(lines.join(''));
