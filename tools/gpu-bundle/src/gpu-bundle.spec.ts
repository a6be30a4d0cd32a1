import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CheckReport } from './format-summary.js';

// Builds the real bundle and runs it the way a bare GPU machine would (`bash run.sh OUT --quick`). The xz'd Node
// binary and the loader .debs are reused from tools/gpu-bundle/.cache after the first build.
const here = dirname(dirname(fileURLToPath(import.meta.url)));
const lavapipe = join(here, '.cache', 'lavapipe');
const hasLavapipe = existsSync(lavapipe) && readdirSync(lavapipe).some((f) => f.startsWith('mesa-vulkan-drivers_'));
const scratch = mkdtempSync(join(tmpdir(), 'gpu-bundle-spec-'));
const bundle = join(scratch, 'bundle');
// A bare machine's environment: no npm, no NODE_OPTIONS, nothing from this repo.
const bareEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: scratch, TMPDIR: scratch };

function runBundle(out: string, args: string[]): { status: number | null; report: CheckReport; log: string } {
  const r = spawnSync('bash', [join(bundle, 'run.sh'), out, ...args], { env: bareEnv, encoding: 'utf8', timeout: 540_000 });
  const report = JSON.parse(readFileSync(join(out, 'gpu-check.json'), 'utf8')) as CheckReport;
  return { status: r.status, report, log: readFileSync(join(out, 'gpu-check.log'), 'utf8') };
}

beforeAll(() => {
  execFileSync('bash', [join(here, 'build.sh'), '--out', bundle], { stdio: 'inherit', timeout: 540_000 });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the GPU bundle', () => {
  it('is self-contained and at most 60 MiB', () => {
    const files = execFileSync('find', [bundle, '-type', 'f'], { encoding: 'utf8' }).trim().split('\n');
    const total = files.reduce((sum, f) => sum + statSync(f).size, 0);
    expect(total).toBeLessThanOrEqual(60 * 2 ** 20);
    const names = files.map((f) => f.slice(bundle.length + 1)).sort();
    expect(names).toEqual(
      expect.arrayContaining(['run.sh', 'node.xz', 'dawn.node.xz', 'INFO', 'MANIFEST', 'app/gpu-check.mjs', 'app/tfjs-backend-wasm-simd.wasm', 'app/tfjs-backend-wasm.wasm']),
    );
    expect(names.some((n) => /^vulkan\/libvulkan1_.*\.deb$/.test(n))).toBe(true);
  });

  it('builds by default into a folder git ignores', () => {
    for (const dir of ['.bundle', '.cache']) {
      const r = spawnSync('git', ['check-ignore', '-q', join(here, dir)], { cwd: here });
      expect(r.status, dir).toBe(0);
    }
  });

  it('runs with --quick and reports the fallback honestly when Dawn finds no adapter', () => {
    const out = join(scratch, 'plain');
    const { status, report, log } = runBundle(out, ['--quick']);

    expect(status).toBe(0);
    // The Node that ran is the bundle's own copy, unpacked into a temporary folder.
    expect(log).toMatch(/\[run\.sh\] node v\d+\.\d+\.\d+ app\/gpu-check\.mjs/);
    const adapter = report.adapter!;
    if (adapter.available) {
      expect(report.backends!.available).toContain('webgpu');
    } else {
      expect(adapter.reason).toMatch(/no WebGPU adapter|Vulkan|Dawn/);
      expect(log).toContain(`No WebGPU adapter, so the GPU parts fall back: ${adapter.reason}`);
      expect(report.backends!.available).toEqual(['cpu', 'wasm']);
    }
    // The CPU part still ran: wasm against the cpu reference, every check within 1e-4 relative.
    expect(report.numeric!.compared).toContain('wasm');
    expect(report.numeric!.items.map((i) => i.name)).toEqual(
      expect.arrayContaining(['loss CategoricalCrossentropy', 'metric AUC', 'FedAvg round, cnn, fedkit buildWeightedFedAvg', 'FedAvg round, 2nn, trainClientsBatched (batched clients)']),
    );
    for (const item of report.numeric!.items) expect(item.results.wasm, item.name).toMatchObject({ pass: true });
    const wasmRows = report.throughput!.filter((t) => t.backend === 'wasm');
    expect(wasmRows.map((t) => `${t.model}@${t.batch}`)).toEqual(['2nn@10', 'cnn@10']);
    for (const t of wasmRows) expect(t.examplesPerSecond).toBeGreaterThan(0);
    const rounds = report.rounds!.filter((r) => r.backend === 'wasm');
    expect(rounds.map((r) => `${r.model} ${r.mode}`)).toEqual(['cnn device-sequential', 'cnn fedkit-sequential', '2nn device-sequential', '2nn device-batched']);
    for (const r of rounds) expect(r.secondsPerRound, `${r.model} ${r.mode}: ${r.error ?? ''}`).toBeGreaterThan(0);
    expect(report.errors).toEqual({});
  });

  it.skipIf(!hasLavapipe)(
    `runs the webgpu path on Mesa lavapipe from bookworm-backports${hasLavapipe ? '' : ' (skipped: run tools/gpu-bundle/fetch-lavapipe.sh first; .ci/run does)'}`,
    () => {
      const out = join(scratch, 'lavapipe');
      const { status, report } = runBundle(out, ['--vulkan-debs', lavapipe, '--quick', '--only', 'adapter,numeric', '--backends', 'webgpu']);

      expect(status).toBe(0);
      expect(report.adapter!.available).toBe(true);
      expect(report.adapter!.info!['description']).toMatch(/llvmpipe/);
      expect(report.numeric!.compared).toEqual(['webgpu']);
      for (const item of report.numeric!.items) {
        const r = item.results.webgpu!;
        // fedkit's own FedAvg process reads tensors synchronously, which tfjs-backend-webgpu cannot do in Node
        // (README: "What the bundle found"); every other check must agree with cpu within 1e-4 relative.
        if (item.name.includes('fedkit buildWeightedFedAvg') && 'error' in r) expect(r.error).toMatch(/OffscreenCanvas/);
        else expect(r, item.name).toMatchObject({ pass: true });
      }
    },
  );
});
