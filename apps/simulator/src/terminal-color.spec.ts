import { describe, expect, it } from 'vitest';

import { colorEnabled, paint } from './terminal-color.js';

describe('colorEnabled', () => {
  it('is on for a TTY without NO_COLOR', () => {
    expect(colorEnabled(true, {})).toBe(true);
  });

  it('is off when NO_COLOR is set to anything non-empty (no-color.org)', () => {
    expect(colorEnabled(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: 'false' })).toBe(false);
  });

  it('ignores an empty NO_COLOR, as no-color.org says', () => {
    expect(colorEnabled(true, { NO_COLOR: '' })).toBe(true);
  });

  it('is off without a TTY (CI logs, pipes, files)', () => {
    expect(colorEnabled(false, {})).toBe(false);
  });
});

describe('paint', () => {
  it('wraps text in an SGR code and a reset when enabled, and leaves it alone otherwise', () => {
    expect(paint(true, 'red', 'x')).toBe('\u001b[31mx\u001b[0m');
    expect(paint(false, 'red', 'x')).toBe('x');
  });
});
