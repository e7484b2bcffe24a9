import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
const c = new Client();
c.on('ready', () => {
  c.exec('sleep 613', (err, ch) => {
    if (err) throw err;
    ch.on('close', (...a: unknown[]) => { console.log('close', a); c.end(); });
    ch.on('exit', (...a: unknown[]) => console.log('exit', a));
    ch.on('data', () => {});
    setTimeout(() => { console.log('signal', ch.signal(process.argv[2] ?? 'KILL')); }, 500);
    setTimeout(() => { console.log('closing'); ch.close(); }, 3000);
  });
}).connect({ host: '127.0.10.1', port: 22, username: 'root', privateKey: readFileSync('/srv/patchops-lab/keys/id_ed25519'), debug: (s: string) => { if (/signal|SIGNAL|CHANNEL_REQUEST|exit/i.test(s)) console.log(s); } });
