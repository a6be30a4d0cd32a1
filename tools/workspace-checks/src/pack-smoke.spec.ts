import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
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

/** Packages whose entry must bundle for the browser (datasets through its `browser` export condition). */
const BROWSER_SAFE = ['@fedkit/core', '@fedkit/losses', '@fedkit/metrics', '@fedkit/keras-adapter', '@fedkit/learning', '@fedkit/aggregators', '@fedkit/datasets'];

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

  for (const name of BROWSER_SAFE) {
    it(`${name} from its tarball bundles with esbuild for the browser platform`, async () => {
      // A bundler resolves the installed package like a web app would; a Node-only import fails the build.
      const out = await build({
        stdin: { contents: `export * from '${name}';`, resolveDir: project, loader: 'js' },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
      });
      expect(out.errors).toEqual([]);
      expect(out.outputFiles[0]!.text.length).toBeGreaterThan(1000);
    });
  }

  for (const pkg of packages) {
    it(`installs ${pkg.name} from its tarball and runs its smoke script`, () => {
      const script = `${pkg.name.replace('@fedkit/', '')}.mjs`;
      const out = execFileSync(process.execPath, [script], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toContain(`${pkg.name} ok`);
    });

    it(`require('${pkg.name}') works from CommonJS and returns the same module as import`, () => {
      // The packages ship ES modules only: Node >= 20.19 require()s them (no top-level await anywhere), and
      // both paths load one module instance, so a CommonJS user and an ES module user share classes.
      const check = [
        "import { createRequire } from 'node:module';",
        `const esm = await import('${pkg.name}');`,
        `const cjs = createRequire(import.meta.url)('${pkg.name}');`,
        'const keys = Object.keys(esm).filter((k) => k !== "default").sort();',
        'const same = keys.length > 0 && keys.every((k) => cjs[k] === esm[k]);',
        'console.log(JSON.stringify({ keys: keys.length, cjsKeys: Object.keys(cjs).filter((k) => k !== "default").length, same }));',
      ].join('\n');
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', check], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as { keys: number; cjsKeys: number; same: boolean };
      expect(result.keys).toBeGreaterThan(0);
      expect(result.cjsKeys).toBe(result.keys);
      expect(result.same).toBe(true);
      const plain = execFileSync(process.execPath, ['-e', `console.log(typeof require('${pkg.name}'))`], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(plain.trim()).toBe('object');
    });

    it(`${pkg.name}'s tarball carries LICENSE (Apache-2.0), CHANGELOG.md and a public publishConfig`, () => {
      const installed = join(project, 'node_modules', ...pkg.name.split('/'));
      expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toContain('Apache License');
      expect(existsSync(join(installed, 'CHANGELOG.md'))).toBe(true);
      const json = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { publishConfig?: { access?: string }; repository?: { url?: string } };
      expect(json.publishConfig?.access).toBe('public');
      expect(json.repository?.url).toMatch(/^git\+https:/);
    });
  }
});
