// expect: error
// stderr-contains: ENOENT
// execSync runs its command through /bin/sh, which the sandbox does not have.
require('child_process').execSync('id; cat /etc/shadow', { stdio: 'inherit' });
