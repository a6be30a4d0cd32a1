// Smoke test for @fedkit/runtime-gpu installed from its tarball: registering loads nothing, and
// selectRuntime(c, 'gpu') either activates a GPU runtime or falls back with a message saying why.
import { createFedkitContainer, selectRuntime } from '@fedkit/core';
import { registerGpuRuntime } from '@fedkit/runtime-gpu';

const c = registerGpuRuntime(createFedkitContainer());
const { runtime, message, skipped } = await selectRuntime(c, 'gpu');
console.log(message);
if (runtime.device !== 'gpu') {
  for (const name of ['tensorflow-gpu', 'webgpu']) {
    const entry = skipped.find((s) => s.name === name);
    if (entry === undefined || entry.reason.length === 0) throw new Error(`no reason given for skipping ${name}: ${message}`);
  }
}
console.log('@fedkit/runtime-gpu ok');
