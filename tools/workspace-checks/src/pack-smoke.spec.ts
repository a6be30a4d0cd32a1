import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const smokeDir = resolve(here, '../smoke');

interface WorkspacePackage {
  name: string;
  dir: string;
}

/** Publishable workspace packages: every non-private package under packages/ and apps/. */
function publishable(): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, group))) {
      const dir = join(root, group, entry);
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name: string; private?: boolean };
      if (!json.private) out.push({ name: json.name, dir });
    }
  }
  return out;
}

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

// Users install scoped packages one by one, so each must work from its tarball alone: this packs every
// package, installs the tarballs into an empty project (from the local npm cache first) and runs one
// smoke script per package that imports its public API and runs its README example.
describe('npm pack smoke test', () => {
  const packages = publishable();
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'fedkit-pack-'));
    const deps: Record<string, string> = { '@tensorflow/tfjs': '4.22.0' };
    for (const pkg of packages) {
      const out = JSON.parse(npm(['pack', '--json', '--pack-destination', project], pkg.dir)) as { filename: string }[];
      deps[pkg.name] = `file:./${out[0]!.filename}`;
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fedkit-smoke', private: true, type: 'module', dependencies: deps }, null, 2));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev'], project);
    for (const script of readdirSync(smokeDir)) copyFileSync(join(smokeDir, script), join(project, script));
  }, 600_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('has a smoke script for every publishable package', () => {
    const scripts = readdirSync(smokeDir).map((f) => f.replace(/\.mjs$/, ''));
    expect(scripts.sort()).toEqual(packages.map((p) => p.name.replace('@fedkit/', '')).sort());
  });

  for (const pkg of packages) {
    it(`installs ${pkg.name} from its tarball and runs its smoke script`, () => {
      const script = `${pkg.name.replace('@fedkit/', '')}.mjs`;
      const out = execFileSync(process.execPath, [script], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toContain(`${pkg.name} ok`);
    });
  }
});
