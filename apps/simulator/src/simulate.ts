import { concat, concatMap, defer, finalize, from, Observable, of, range, takeWhile } from 'rxjs';

import type { CheckpointableState } from './checkpoint.js';
import { setupRun } from './run-context.js';
import { finishRun, runRound, samplerStateOf } from './run-round.js';
import type { SimulationEvent } from './simulation-event.js';
import { numClientsOf, type SimulationOptions } from './simulation-options.js';
import { buildUniformSampler } from './uniform-sampler.js';

/** Marks the end of the rounds after a graceful stop; never leaves this module. */
const STOP = Symbol('stop');

/**
 * Runs a federated simulation as a cold Observable of {@link SimulationEvent}s:
 * nothing happens before `subscribe`, each subscription is a separate run, and
 * unsubscribing aborts it (an `AbortSignal` reaches the round and its clients,
 * which stop before their next batch; the teardown itself is synchronous).
 * Rounds run in order (`concatMap`); each client is reported by a
 * `client-finished` event as it finishes (a client that throws is a failed
 * one and the round goes on without it). Clients are sampled with
 * {@link buildUniformSampler}; checkpoints hold the whole process state, so a
 * resumed run reproduces an uninterrupted one bit for bit.
 *
 * @example
 * ```ts
 * simulate({
 *   process: () => buildWeightedFedAvg({ modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 } }),
 *   clientData, rounds: 10, clientsPerRound: 5, seed: 1,
 * }).subscribe((e) => { if (e.kind === 'round-finished') console.log(e.round, e.train.loss); });
 * ```
 */
export function simulate<S extends CheckpointableState>(options: SimulationOptions<S>): Observable<SimulationEvent> {
  return defer(() => {
    const controller = new AbortController();
    let inflight: Promise<unknown> = Promise.resolve();
    const track = <T>(p: Promise<T>): Promise<T> => {
      inflight = p.catch(() => undefined);
      return p;
    };
    const seed = options.seed ?? 0;
    const numClients = numClientsOf(options);
    const sampler = buildUniformSampler({ numClients, clientsPerRound: options.clientsPerRound, seed });

    return from(track(setupRun(options, samplerStateOf(options)))).pipe(
      concatMap((run) =>
        concat(
          from(run.rejected.map((r): SimulationEvent => ({ kind: 'checkpoint-rejected', path: r.path, reason: r.reason }))),
          of<SimulationEvent>({
            kind: 'run-started',
            rounds: options.rounds,
            startRound: run.startRound,
            numClients,
            clientsPerRound: options.clientsPerRound,
            seed,
            history: [...run.history],
            ...(run.resumedFrom === undefined ? {} : { resumedFrom: run.resumedFrom }),
            runId: run.runId,
          }),
          range(run.startRound, Math.max(0, options.rounds - run.startRound + 1)).pipe(
            concatMap((round) =>
              run.stopped || options.stopSignal?.aborted === true
                ? of(STOP)
                : new Observable<SimulationEvent | typeof STOP>((sub) => {
                    track(runRound(options, run, round, sampler.sample(round), controller.signal, (e) => sub.next(e))).then(
                      () => {
                        if (run.stopped) sub.next(STOP);
                        sub.complete();
                      },
                      (err: unknown) => sub.error(err),
                    );
                  }),
            ),
            // A graceful stop unsubscribes from the remaining rounds at once (no per-round recursion).
            takeWhile((e): e is SimulationEvent => e !== STOP),
          ),
          defer(() => from(track(finishRun(options, run)))).pipe(concatMap((events) => from(events))),
        ),
      ),
      finalize(() => {
        controller.abort(new DOMException('The simulation was unsubscribed.', 'AbortError'));
        void inflight.then(async () => {
          await options.cleanup?.();
        });
      }),
    );
  });
}
