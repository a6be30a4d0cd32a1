import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ReportWriter } from './report-writer.js';

describe('ReportWriter', () => {
  it('merges requests made during a write into one more write of the newest content', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-writer-'));
    let version = 0;
    const builds: number[] = [];
    const writer = new ReportWriter(join(dir, 'report.html'), () => {
      builds.push(version);
      return `v${version}`;
    });
    version = 1;
    writer.request();
    // Three more rounds finish while the first write is on its way: one more write, of the newest.
    version = 2;
    writer.request();
    version = 3;
    writer.request();
    version = 4;
    writer.request();
    await writer.flush();
    // First write (v1), one merged write (v4), then flush's own (v4).
    expect(builds).toEqual([1, 4, 4]);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('v4');
    // Only the report: no temporary files left behind.
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  it('reports a failed write at the next flush', async () => {
    const writer = new ReportWriter(join(tmpdir(), 'no-such-folder-for-fedkit', 'report.html'), () => 'x');
    writer.request();
    await expect(writer.flush()).rejects.toThrow(/ENOENT/);
  });
});
