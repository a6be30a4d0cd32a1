import { describe, expect, it } from 'vitest';

import { KeyError, ValueError } from './errors.js';

describe('errors', () => {
  it('are instanceof-safe subclasses of Error with their name set', () => {
    const v = new ValueError('bad value');
    const k = new KeyError('bad key');
    expect(v).toBeInstanceOf(ValueError);
    expect(v).toBeInstanceOf(Error);
    expect(v.name).toBe('ValueError');
    expect(k).toBeInstanceOf(KeyError);
    expect(k).not.toBeInstanceOf(ValueError);
    expect(k.name).toBe('KeyError');
  });
});
