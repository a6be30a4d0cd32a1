import { afterEach, describe, expect, it, vi } from 'vitest';

import { emitWarning } from './emit-warning.js';

describe('emitWarning', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("goes through Node's process.emitWarning with its code and type", () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    emitWarning('old option', { code: 'FEDKIT_X', type: 'DeprecationWarning' });
    expect(warn).toHaveBeenCalledWith('old option', { code: 'FEDKIT_X', type: 'DeprecationWarning' });
  });

  it('falls back to console.warn where there is no process (a browser), naming the type and code', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubGlobal('process', undefined);
    emitWarning('no webgpu', { code: 'FEDKIT_RUNTIME_FALLBACK' });
    vi.unstubAllGlobals();
    expect(warn).toHaveBeenCalledWith('Warning [FEDKIT_RUNTIME_FALLBACK]: no webgpu');
  });
});
