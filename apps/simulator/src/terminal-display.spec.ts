import { describe, expect, it } from 'vitest';

import { TerminalDisplay } from './terminal-display.js';

describe('TerminalDisplay without a TTY', () => {
  it('prints plain summary lines, failures and a final table', () => {
    let text = '';
    const d = new TerminalDisplay({ isTTY: false, write: (s) => (text += s) });
    d.handle({ kind: 'run-started', rounds: 1, startRound: 1, numClients: 4, clientsPerRound: 2, seed: 0, history: [] });
    d.handle({ kind: 'round-started', round: 1, clientIds: [0, 3] });
    d.handle({ kind: 'client-finished', round: 1, clientId: 0, ok: true, numExamples: 10, ms: 5, done: 1, total: 2 });
    d.handle({ kind: 'client-finished', round: 1, clientId: 3, ok: false, numExamples: 0, ms: 1, error: 'boom', done: 2, total: 2 });
    const train = { loss: 0.5, sparse_categorical_accuracy: 0.25, num_examples: 10, num_batches: 1 };
    d.handle({
      kind: 'round-finished', round: 1, train, durationMs: 2000, examplesPerSecond: 5, numExamples: 10, failures: 1,
      metrics: { distributor: {}, client_work: { train }, aggregator: {}, finalizer: {}, failures: 1, retries: 0 },
    });
    d.handle({ kind: 'evaluated', round: 1, centralized: { loss: 0.75, sparse_categorical_accuracy: 0.5 } });
    d.handle({ kind: 'run-finished', roundsCompleted: 1, stopped: false, finalEval: { loss: 0.75, sparse_categorical_accuracy: 0.5 }, totalMs: 2500, totalExamples: 10 });
    const lines = text.split('\n');
    expect(lines).toContain('round 1: client 3 failed: boom');
    expect(lines).toContain('round 1: train loss 0.5000 accuracy 0.2500 | 5 examples/s | 2.00 s | 1 failed');
    expect(lines).toContain('round 1: eval loss 0.7500 accuracy 0.5000');
    expect(lines).toContain('     1 |     0.5000 |    0.2500 |    0.7500 |   0.5000 |          5 |    2.00');
    expect(lines).toContain('finished after 1 rounds in 2.5 s; final test accuracy 0.5000, test loss 0.7500');
    // No cursor movement or carriage returns in CI logs.
    expect(text).not.toMatch(/\r|\u001b\[/);
  });
});
