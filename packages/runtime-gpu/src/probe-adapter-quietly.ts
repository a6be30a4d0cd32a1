import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What {@link probeAdapterQuietly} found. */
export interface AdapterProbe {
  /** Whether Dawn returned an adapter. */
  readonly found: boolean;
  /** Why the probe itself failed (the package missing, Dawn crashing), when it did. */
  readonly error?: string;
  /** What Dawn printed to stderr while probing (its warnings, with their C++ frames), kept out of the user's terminal. */
  readonly log: string;
}

// Runs in the child: load Dawn, ask for an adapter, print the answer as JSON on stdout.
const CHILD = `
const { create, globals } = await import('webgpu');
void globals;
const gpu = create(JSON.parse(process.env.FEDKIT_DAWN_OPTIONS ?? '[]'));
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
process.stdout.write(JSON.stringify({ found: adapter !== null && adapter !== undefined }));
process.exit(0);
`;

/**
 * Asks Dawn (the `webgpu` package) for an adapter in a child Node process, so
 * that what Dawn's C++ code prints straight to the process's stderr (on a machine
 * without Vulkan: `Warning: Couldn't load Vulkan ... at operator() (.../BackendVk.cpp:368)`)
 * is captured instead of reaching the user's terminal on every run. Dawn is then
 * loaded into this process only when an adapter exists. Never rejects.
 *
 * @param dawnOptions Dawn's `create()` options, e.g. `['backend=vulkan']`.
 * @example
 * ```ts
 * const probe = await probeAdapterQuietly([]);
 * if (!probe.found) console.log('no adapter; Dawn said:', probe.log);
 * ```
 */
export function probeAdapterQuietly(dawnOptions: readonly string[], timeoutMs = 60_000): Promise<AdapterProbe> {
  return new Promise((resolve) => {
    // The child resolves 'webgpu' from this package's folder, as this module's own import would.
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      env: { ...process.env, FEDKIT_DAWN_OPTIONS: JSON.stringify(dawnOptions) },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => resolve({ found: false, error: `the probe process failed to start: ${e.message}`, log: err }));
    child.on('close', (code, signal) => {
      try {
        const answer = JSON.parse(out) as { found?: unknown };
        resolve({ found: answer.found === true, log: err });
      } catch {
        resolve({ found: false, error: `the probe process ended with ${signal ?? `exit code ${code}`} and no answer`, log: err });
      }
    });
  });
}

/** The first line of Dawn's output that says something (`Warning: Couldn't load Vulkan: ...`), for a one-line reason. */
export function firstDawnMessage(log: string): string | undefined {
  return log
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('at '));
}
