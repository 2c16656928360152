// Sends hostile JSON bodies from another process (an attacker is another machine: its own CPU).
// argv: port, count. Prints "sending" once every request has started, then one status per line.
import http from 'node:http';
const [port, count] = process.argv.slice(2).map(Number);
const deep = '['.repeat(3000) + ']'.repeat(3000);
const wide = `{"refreshToken":"x","caseId":"y","filler":[${'0,'.repeat(450_000)}0]}`;
const send = (path, body) =>
  new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', (e) => resolve(`error ${e.code}`));
    req.end(body);
  });
const all = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? send('/api/v1/auth/logout', deep) : send('/api/v1/cases', wide)));
process.stdout.write('sending\n');
for (const s of await Promise.all(all)) process.stdout.write(`${s}\n`);
