// expect: ok
// stdout: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
// stdout: 6e9ef29b75fffc5b7abae527d58fdadb2fe42e7219011976917343065f58ed4a
// stdout: 16 36
// stdout: decrypted: secret message
// stdout: verified: true
const crypto = require('crypto');
console.log(crypto.createHash('sha256').update('abc').digest('hex'));
console.log(crypto.createHmac('sha256', 'key').update('message').digest('hex'));
console.log(crypto.randomBytes(16).length, crypto.randomUUID().length);
const key = crypto.scryptSync('password', 'salt', 32);
const iv = crypto.randomBytes(12);
const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
const enc = Buffer.concat([cipher.update('secret message'), cipher.final()]);
const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
decipher.setAuthTag(cipher.getAuthTag());
console.log('decrypted:', Buffer.concat([decipher.update(enc), decipher.final()]).toString());
const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
const sig = crypto.sign(null, Buffer.from('data'), privateKey);
console.log('verified:', crypto.verify(null, Buffer.from('data'), publicKey, sig));
