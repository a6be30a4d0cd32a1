// Smoke test for @fedkit/simulator installed from its tarball: the fedkit-simulate CLI for one short round on MNIST.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkg = require('@fedkit/simulator/package.json');
const cli = join(dirname(require.resolve('@fedkit/simulator/package.json')), pkg.bin['fedkit-simulate']);
const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
if (!help.includes('--aggregator')) throw new Error('--help does not list --aggregator');
const out = mkdtempSync(join(tmpdir(), 'smoke-sim-'));
const stdout = execFileSync(
  process.execPath,
  [cli, '--rounds', '1', '--clients', '20', '--clients-per-round', '2', '--workers', '0', '--runtime', 'wasm', '--out', out],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
);
if (!/^runtime: wasm/.test(stdout)) throw new Error(`unexpected first line: ${stdout.split('\n')[0]}`);
if (!/test accuracy: \d+\.\d\d%/.test(stdout)) throw new Error(`no test accuracy in: ${stdout}`);
for (const f of ['metrics.jsonl', 'metrics.csv', 'config.json', 'report.html']) if (!existsSync(join(out, f))) throw new Error(`missing ${f}`);
console.log('@fedkit/simulator ok');
