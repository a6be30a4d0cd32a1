// Smoke test for @fedkit/executor-bullmq installed from its tarball (bullmq and ioredis come with it).
import { createFedkitContainer, EXECUTOR_PLUGIN, pluginNames } from '@fedkit/core';
import { packArrays, redactRedisUrl, registerBullMqExecutor, unpackArrays } from '@fedkit/executor-bullmq';

const names = pluginNames(registerBullMqExecutor(createFedkitContainer()), EXECUTOR_PLUGIN);
if (!names.includes('bullmq')) throw new Error(`executors: ${names}`);
const { arrays } = unpackArrays(packArrays(null, [Float32Array.of(1.5, -2)]));
if (arrays[0][1] !== -2) throw new Error(`unpacked ${arrays[0]}`);
if (redactRedisUrl('redis://u:pw@h:1') !== 'redis://u:***@h:1') throw new Error('redaction');
console.log('@fedkit/executor-bullmq ok');
