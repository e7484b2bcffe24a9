/**
 * A simulated fleet in its own process, so the scanner's memory is measured alone. Prints one JSON line
 * (the inventory) when listening, and stops when its standard input closes.
 */
import { startSimFleet } from '../src/sim/index.js';

const count = Number(process.argv[2] ?? 500);
const latencyMs = Number(process.argv[3] ?? 30);
const updatesPerHost = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const fleet = await startSimFleet({
  count,
  latencyMs,
  seed: 'bench',
  packagesPerHost: 400,
  ...(updatesPerHost === undefined ? {} : { updatesPerHost }),
});
process.stdout.write(`${JSON.stringify({ hosts: fleet.hosts, hostKey: fleet.hostKey })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void fleet.stop().then(() => process.exit(0));
});
