import type { RedisOptions } from 'ioredis';

import { ValueError } from '@fedkit/core';

/**
 * `url` with its password replaced by `***`, for messages, logs and saved
 * configs (a password must never be written anywhere).
 * @example
 * ```ts
 * redactRedisUrl('redis://app:s3cret@db:6379/0'); // 'redis://app:***@db:6379/0'
 * ```
 */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password === '') return url;
    u.password = '***';
    return u.href;
  } catch {
    // Not a URL: say nothing of it but its scheme-like start, which holds no secret.
    return '<unparsable redis URL>';
  }
}

/**
 * ioredis connection options for a `redis://` or `rediss://` (TLS) URL:
 * `redis[s]://[user[:password]@]host[:port][/db]`.
 * @throws ValueError for another scheme or a malformed URL (the message shows the URL redacted).
 * @example
 * ```ts
 * new Redis(redisOptions('rediss://default:pw@cache.example:6380'));
 * ```
 */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ValueError(`--redis expects a URL such as redis://127.0.0.1:6379 or rediss://user:password@host:6380; found ${redactRedisUrl(url)}.`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new ValueError(`--redis expects a redis:// or rediss:// URL; found the scheme "${u.protocol}" in ${redactRedisUrl(url)}.`);
  }
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new ValueError(`The Redis database in ${redactRedisUrl(url)} must be a number (e.g. /0); found "${db}".`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host: host === '' ? '127.0.0.1' : host,
    port: u.port === '' ? 6379 : Number(u.port),
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    ...(db === '' ? {} : { db: Number(db) }),
    ...(u.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
  };
}
