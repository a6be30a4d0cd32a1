import { EXECUTOR_PLUGIN, registerPlugin, ValueError, type ExecutorPlugin } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

import { BullMqExecutor } from './bullmq-executor.js';

/** The `bullmq` executor plugin: needs `options.redis` (the `--redis` URL) and an environment spec. */
export const bullMqExecutorPlugin: ExecutorPlugin = {
  name: 'bullmq',
  description: 'clients as BullMQ jobs on Redis (--redis URL), run by `fedkit-simulate worker` processes on any machine',
  async create({ environmentSpec, options }) {
    const redis = options?.['redis'];
    if (typeof redis !== 'string' || redis === '') {
      throw new ValueError('The bullmq executor needs a Redis URL: pass --redis redis://HOST:PORT (and start workers with fedkit-simulate worker --redis redis://HOST:PORT).');
    }
    if (/^rediss?:\/\/[^/@]*:\*\*\*@/.test(redis)) {
      throw new ValueError(`The Redis URL ${redis} has its password redacted (config.json never keeps passwords); pass --redis with the password again, e.g. on --resume.`);
    }
    if (environmentSpec === undefined) throw new ValueError('The bullmq executor needs an environmentSpec: the options from which workers build the task model.');
    const executor = new BullMqExecutor({ redis, environment: environmentSpec, ...(typeof options?.['queue'] === 'string' ? { queue: options['queue'] } : {}) });
    await executor.start();
    return executor;
  },
};

/**
 * Registers the `bullmq` executor (`EXECUTOR_PLUGIN`) in `container`.
 * @example
 * ```ts
 * registerBullMqExecutor(createFedkitContainer());
 * ```
 */
export function registerBullMqExecutor(container: DependencyContainer): DependencyContainer {
  registerPlugin(container, EXECUTOR_PLUGIN, bullMqExecutorPlugin);
  return container;
}
