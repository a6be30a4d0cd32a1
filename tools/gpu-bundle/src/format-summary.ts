import type { AdapterReport } from './check-adapter.js';
import type { BackendName } from './backends.js';
import type { CheckOptions, CheckPart } from './check-options.js';
import type { RoundRow, TFF_REFERENCE } from './fedavg-rounds.js';
import type { NumericReport } from './numeric-suite.js';
import type { ThroughputRow } from './throughput.js';

/** Everything the check writes to `gpu-check.json`. */
export interface CheckReport {
  date: string;
  machine: { platform: string; node: string; cpus: number; cpuModel: string; memoryGiB: number };
  /** What run.sh says about the bundle (its build date and commit). */
  bundle: string;
  options: CheckOptions;
  tffReference: typeof TFF_REFERENCE;
  adapter?: AdapterReport;
  backends?: { available: readonly BackendName[]; unavailable: Partial<Record<BackendName, string>> };
  numeric?: NumericReport;
  throughput?: ThroughputRow[];
  rounds?: RoundRow[];
  skipped: CheckPart[];
  /** A part that failed as a whole (each case's own error is in its row). */
  errors: Record<string, string>;
  /** Wall-clock seconds of each part that ran. */
  partSeconds: Partial<Record<CheckPart, number>>;
  seconds?: number;
  tensorsLeft?: number;
}

const fmt = (n: number | undefined, digits = 0): string => (n === undefined ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/**
 * The report as text tables for the log.
 * @example
 * ```ts
 * console.log(formatSummary(report));
 * ```
 */
export function formatSummary(r: CheckReport): string {
  const lines: string[] = [`fedkit GPU check, ${r.date}, ${r.machine.platform}, ${r.machine.cpus} x ${r.machine.cpuModel}, Node ${r.machine.node}`];
  lines.push(`bundle: ${r.bundle}`);
  if (r.adapter !== undefined) {
    lines.push(r.adapter.available ? `adapter: ${r.adapter.adapter}` : `adapter: none (${r.adapter.reason ?? ''})`);
    lines.push(`Vulkan drivers (ICD files) the loader sees: ${r.adapter.vulkanDrivers.length === 0 ? 'none' : r.adapter.vulkanDrivers.join(', ')}`);
    if (r.adapter.nvidiaSmi !== undefined) lines.push(`nvidia-smi: ${r.adapter.nvidiaSmi}`);
  }
  if (r.backends !== undefined) {
    lines.push(`backends: ${r.backends.available.join(', ')}${r.backends.unavailable.webgpu === undefined ? '' : ' (webgpu unavailable: fallback to wasm and cpu)'}`);
  }
  if (r.numeric !== undefined) {
    const took = Object.entries(r.numeric.seconds).map(([b, s]) => `${b} ${fmt(s, 1)} s`).join(', ');
    lines.push('', `numeric suite vs cpu (max relative error, tolerance ${r.numeric.tolerance}): ${r.numeric.allPass ? 'all pass' : 'NOT all pass'} (${took})`);
    for (const item of r.numeric.items) {
      const cells = r.numeric.compared.map((b) => {
        const res = item.results[b];
        if (res === undefined) return `${b} -`;
        if ('error' in res) return `${b} ERROR ${res.error}`;
        return `${b} ${res.maxRelativeError.toExponential(1)} ${res.pass ? 'ok' : 'FAIL'}`;
      });
      const cpu = item.results.cpu;
      if (cpu !== undefined && 'error' in cpu) cells.unshift(`cpu ERROR ${cpu.error}`);
      lines.push(`  ${item.name}: ${cells.join('; ') || '(cpu only)'}`);
      for (const [b, note] of Object.entries(item.notes ?? {})) lines.push(`    ${b}: ${note}`);
    }
  }
  if (r.throughput !== undefined) {
    lines.push('', 'training throughput (examples/s; first step s)');
    for (const t of r.throughput) {
      lines.push(`  ${t.backend.padEnd(6)} ${t.model} batch ${String(t.batch).padStart(3)}: ${t.error !== undefined ? `ERROR ${t.error}` : t.skipped !== undefined ? `skipped: ${t.skipped}` : `${fmt(t.examplesPerSecond)} ex/s (first step ${fmt(t.firstStepSeconds, 2)} s)`}`);
    }
  }
  if (r.rounds !== undefined) {
    lines.push('', `FedAvg rounds (${r.options.examplesPerClient} examples per client, batch ${r.options.roundBatch}, 1 epoch); TFF: ${r.tffReference.secondsPerRound} s/round, ${r.tffReference.clients} clients, ${r.tffReference.parameters / 1e6}M-parameter CNN, ${r.tffReference.hardware}`);
    for (const row of r.rounds) {
      const head = `  ${row.backend.padEnd(6)} ${row.model} ${row.mode.padEnd(17)} ${String(row.clients).padStart(3)} clients:`;
      if (row.secondsPerRound !== undefined) lines.push(`${head} ${fmt(row.secondsPerRound, 2)} s/round (${fmt(row.roundsPerSecond, 3)} rounds/s, ${fmt(row.examplesPerSecond)} ex/s)`);
      else lines.push(`${head} ${row.error === undefined ? `skipped: ${row.skipped ?? ''}` : `ERROR ${row.error}`}`);
    }
  }
  if (r.skipped.length > 0) lines.push('', `skipped parts: ${r.skipped.join(', ')}`);
  for (const [part, e] of Object.entries(r.errors)) lines.push(`part ${part} failed: ${e}`);
  const parts = Object.entries(r.partSeconds).map(([p, s]) => `${p} ${fmt(s, 1)} s`).join(', ');
  if (r.seconds !== undefined) lines.push('', `done in ${fmt(r.seconds, 1)} s (${parts}); tensors left: ${r.tensorsLeft ?? '-'}`);
  return lines.join('\n');
}
