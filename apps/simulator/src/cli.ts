#!/usr/bin/env node
/**
 * `fedkit-simulate`: runs a federated simulation from flags (and an optional
 * JSON config file), shows progress, and writes metrics, checkpoints and a
 * report into `--out`.
 */
import 'reflect-metadata';

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { resolvePlugin } from '@fedkit/core';
import { redactRedisUrl } from '@fedkit/executor-bullmq';
import { ALGORITHM_PLUGIN, type AlgorithmPlugin } from '@fedkit/learning';

import { buildProgram, resolveRun } from './cli-program.js';
import { MetricsLog, type RoundRecord } from './metrics-log.js';
import { prepareOutputFolder } from './output-folder.js';
import { buildRegistry, prepareRun } from './prepare-run.js';
import { buildReportHtml, type ReportData, type RunStatus } from './report-html.js';
import { ReportWriter } from './report-writer.js';
import { invocationCwd } from './invocation-cwd.js';
import { checkResumeConfig, checkResumeModules, type ConfigChange } from './resume-check.js';
import { accuracyOf } from './run-summary.js';
import { runtimeLine } from './runtime-line.js';
import type { SimulationEvent } from './simulation-event.js';
import { colorEnabled, paint } from './terminal-color.js';
import { DashboardServer } from './dashboard-server.js';
import { TensorBoardWriter, tensorBoardScalars } from './tensorboard-writer.js';
import { TerminalDisplay } from './terminal-display.js';
import { viewOptionsOf } from './view-options.js';
import { runWorkerCommand } from './worker-command.js';
import { writeFileAtomic } from './write-file-atomic.js';

async function main(argv: readonly string[]): Promise<number> {
  // Relative --task/--out/--config/--plugin resolve against the user's directory, also under `nx run ...:start`.
  process.chdir(invocationCwd(process.env, process.cwd()));
  if (argv[2] === 'worker') return await runWorkerCommand(argv.slice(3));
  // --plugin modules may add algorithms, aggregators and tasks, so they are loaded before the flags are checked.
  const plugins = argv.flatMap((a, i) => (a === '--plugin' && argv[i + 1] !== undefined ? [argv[i + 1]!] : a.startsWith('--plugin=') ? [a.slice(9)] : []));
  const registry = await buildRegistry({ plugins });
  const program = buildProgram(registry);
  program.parse(argv);
  const { config, saved, given, overwrite, allowConfigChange } = resolveRun(program);
  const view = viewOptionsOf(program);
  const color = colorEnabled(process.stdout.isTTY === true, process.env);
  const out = resolve(config.out);
  // Every check before the first write: a refused resume leaves config.json and the checkpoints as they were.
  await prepareOutputFolder(out, { resume: config.resume, overwrite });
  let changes: ConfigChange[] = [];
  if (config.resume) {
    changes = checkResumeConfig(saved, given, allowConfigChange);
    await checkResumeModules(out, saved, given);
  }
  // A resume may keep plugins that only config.json names (once their hashes matched): they count too.
  const runRegistry = (config.plugins ?? []).every((p) => plugins.includes(p)) ? registry : await buildRegistry(config);
  const algorithm = resolvePlugin<AlgorithmPlugin>(runRegistry, ALGORITHM_PLUGIN, config.algorithm, 'algorithm');
  if (algorithm.ignores?.includes('clientOptimizer')) {
    const given = ['clientOptimizer', 'clientLr', 'localEpochs'].filter((k) => program.getOptionValueSource(k) === 'cli');
    if (given.length > 0) {
      const flags = given.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
      process.stdout.write(`note: ${config.algorithm} takes no local steps, so it ignores ${flags}\n`);
    }
  }

  const stop = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stdout.write('\nstopping: writing a final checkpoint (Ctrl-C again to quit at once)\n');
    stop.abort(new DOMException('Interrupted', 'AbortError'));
  });

  const started = performance.now();
  const run = await prepareRun(config, { stopSignal: stop.signal });
  const display = new TerminalDisplay({ isTTY: process.stdout.isTTY === true, write: (s) => process.stdout.write(s) }, { verbose: view.verbose, color });
  process.stdout.write(`${runtimeLine(run.runtimeMessage, run.runtimeSkipped, view.verbose)}\n`);
  process.stdout.write(
    `task ${run.task.name} (${run.numTrain} train / ${run.numTest} test examples), ${config.algorithm}, ${config.clients} clients ${config.partition}, ` +
      `E=${config.localEpochs} B=${config.batchSize} client ${run.clientOptimizer.name} lr ${run.clientOptimizer.learningRate}, ` +
      `${config.workers > 0 ? `${config.executor} (${config.executor === 'bullmq' ? `Redis ${redactRedisUrl(config.redis ?? '')}` : config.workers})` : 'in-process clients'}\n`,
  );
  const { resume: _resume, ...rerun } = config;
  await writeFileAtomic(
    join(out, 'config.json'),
    JSON.stringify(
      {
        ...rerun,
        clientOptimizer: run.clientOptimizer.name,
        clientLr: run.clientOptimizer.learningRate,
        runtime: config.runtime,
        // A password is never written: a resume passes --redis again.
        ...(config.redis === undefined ? {} : { redis: redactRedisUrl(config.redis) }),
      },
      null,
      2,
    ) + '\n',
  );

  // A resumed run appends to the events of the runs before it.
  const log = new MetricsLog(out, { events: config.resume ? await previousEvents(join(out, 'metrics.jsonl')) : [] });
  let runState: RunStatus['state'] = 'running';
  const reportData = (): ReportData => {
    const { rounds } = log.snapshot();
    return {
      title: `fedkit: ${run.task.name} with ${config.algorithm}`,
      summary: {
        task: run.task.name,
        algorithm: config.algorithm,
        runtime: run.runtimeName,
        clients: `${config.clients} (${config.partition}), ${config.clientsPerRound} per round`,
        'local training': `E=${config.localEpochs}, B=${config.batchSize}, client ${run.clientOptimizer.name} lr ${run.clientOptimizer.learningRate}`,
        seed: config.seed,
        rounds: config.rounds,
      },
      rounds,
      labelHistogram: run.labelHistogram,
      status: { state: runState, plannedRounds: config.rounds },
    };
  };
  // Rewritten after every round (merged when rounds outpace the disk), so the report can be opened during the run.
  const report = new ReportWriter(join(out, 'report.html'), () => buildReportHtml(reportData()));
  const tensorboard = view.tensorboard === undefined ? undefined : await TensorBoardWriter.create(view.tensorboard);
  if (tensorboard !== undefined) process.stdout.write(`tensorboard: ${tensorboard.path} (tensorboard --logdir ${view.tensorboard})\n`);
  const dashboard = view.dashboard === undefined ? undefined : await DashboardServer.start({ ...view.dashboard, data: reportData });
  if (dashboard !== undefined) {
    process.stdout.write(`dashboard: ${dashboard.url} (live while the run goes on)\n`);
    if (!['127.0.0.1', '::1', 'localhost'].includes(view.dashboard!.host)) process.stdout.write(`note: the dashboard listens on ${view.dashboard!.host}: whoever can reach this machine can see the run\n`);
  }
  const roundFailures = new Map<number, number>();
  const roundClients = new Map<number, number>();
  const keep = (e: SimulationEvent): void => {
    if (e.kind === 'round-started') roundClients.set(e.round, e.clientIds.length);
    if (e.kind === 'round-finished') {
      log.addRound(roundRecord(e, roundClients.get(e.round) ?? config.clientsPerRound));
      log.addEvent({ kind: e.kind, round: e.round, train: e.train, durationMs: e.durationMs, examplesPerSecond: e.examplesPerSecond, numExamples: e.numExamples, failures: e.failures, metrics: e.metrics });
    } else if (e.kind === 'evaluated') {
      const m = e.centralized ?? e.federated;
      if (m !== undefined) log.setEval(e.round, m);
      log.addEvent(e);
    } else if (e.kind === 'client-finished') {
      if (!e.ok) log.addEvent(e);
    } else if (e.kind !== 'round-started') {
      log.addEvent(e.kind === 'run-started' ? { ...e, history: undefined } : e);
    }
  };

  let final: SimulationEvent | undefined;
  let lastCheckpoint: Extract<SimulationEvent, { kind: 'checkpoint-saved' }> | undefined;
  let flushing: Promise<void> = Promise.resolve();
  const ran = new Promise<void>((resolveRun, reject) => {
    run.events.subscribe({
      next: (e) => {
        if (e.kind === 'run-started') {
          // The earlier events are in metrics.jsonl already; the history only rebuilds the per-round table.
          for (const h of e.history) {
            if (h.kind === 'round-finished') log.addRound(roundRecord(h, config.clientsPerRound));
            else if (h.kind === 'evaluated' && (h.centralized ?? h.federated) !== undefined) log.setEval(h.round, (h.centralized ?? h.federated)!);
          }
          if (changes.length > 0) {
            log.addEvent({ kind: 'config-changed', afterRound: e.startRound - 1, changes });
            process.stdout.write(`config changed on resume after round ${e.startRound - 1}: ${changes.map((c) => `${c.key} ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`).join(', ')}\n`);
          }
          if (view.verbose && run.workerRuntimes.length > 0) {
            const same = run.workerRuntimes.every((w) => w.runtimeMessage === run.runtimeMessage);
            process.stdout.write(`clients: ${run.workerRuntimes.length} worker threads on ${run.runtimeName}${same ? ' (each made the same runtime choice as the main thread)' : ''}\n`);
          }
        }
        keep(e);
        display.handle(e);
        if (e.kind === 'round-finished' || e.kind === 'evaluated') report.request();
        if (dashboard !== undefined) {
          if (e.kind === 'run-started' || e.kind === 'round-finished' || e.kind === 'evaluated') dashboard.publishView();
          if (e.kind === 'client-finished') {
            if (!e.ok) roundFailures.set(e.round, (roundFailures.get(e.round) ?? 0) + 1);
            dashboard.publishProgress({ round: e.round, done: e.done, total: e.total, failed: roundFailures.get(e.round) ?? 0 });
          }
        }
        if (tensorboard !== undefined && (e.kind === 'round-finished' || e.kind === 'evaluated')) void tensorboard.write(e.round, tensorBoardScalars(e));
        if (e.kind === 'run-finished') final = e;
        if (e.kind === 'checkpoint-saved') lastCheckpoint = e;
        if (e.kind === 'round-finished' || e.kind === 'run-finished' || e.kind === 'checkpoint-saved') flushing = flushing.then(() => log.flush());
      },
      error: reject,
      complete: resolveRun,
    });
  });
  try {
    await ran;
  } catch (e) {
    // Nothing lost: the events so far and the report are written before the error ends the run.
    await flushing.catch(() => undefined);
    await log.flush();
    await tensorboard?.flush().catch(() => undefined);
    runState = 'stopped';
    await report.flush();
    await dashboard?.close();
    const kept = lastCheckpoint === undefined ? '' : ` The last completed round, ${lastCheckpoint.round}, is checkpointed in ${lastCheckpoint.path}: fix the cause, then continue it with --resume.`;
    throw new Error(`${e instanceof Error ? e.message : String(e)}${kept}`, { cause: e });
  }
  await flushing;
  await tensorboard?.flush();
  await log.flush();
  if (final?.kind === 'run-finished') runState = final.stopped ? 'stopped' : 'finished';
  await report.flush();
  dashboard?.publishView();
  await dashboard?.close();
  const acc = final?.kind === 'run-finished' ? accuracyOf(final.finalEval) : undefined;
  process.stdout.write(
    `${paint(color, 'bold', `test accuracy: ${acc === undefined ? 'not evaluated' : `${(acc * 100).toFixed(2)}%`}`)}; wall time ${((performance.now() - started) / 1000).toFixed(1)} s; outputs in ${out}\n`,
  );
  // Ctrl-C ends a run with the shell's SIGINT status, after the final checkpoint.
  return interrupts > 0 && final?.kind === 'run-finished' && final.stopped ? 130 : 0;
}

async function previousEvents(path: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((l) => {
    try {
      return l.trim() === '' ? [] : [JSON.parse(l) as unknown];
    } catch {
      return [];
    }
  });
}

function roundRecord(e: Extract<SimulationEvent, { kind: 'round-finished' }>, clients: number): RoundRecord {
  return { round: e.round, train: e.train, durationMs: e.durationMs, examplesPerSecond: e.examplesPerSecond, clients, failures: e.failures };
}

main(process.argv).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`fedkit-simulate: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
