import { describe, expect, it } from 'vitest';

import { redactRedisUrl, redisOptions } from './redis-url.js';

describe('redisOptions', () => {
  it('reads user, password, host, port and database from a redis:// URL', () => {
    expect(redisOptions('redis://app:s%40cret@db.local:6380/2')).toEqual({ host: 'db.local', port: 6380, username: 'app', password: 's@cret', db: 2 });
  });

  it('turns on TLS for rediss://, checking the certificate against the host name', () => {
    expect(redisOptions('rediss://:pw@cache.example:6390')).toEqual({ host: 'cache.example', port: 6390, password: 'pw', tls: { servername: 'cache.example' } });
  });

  it('defaults to port 6379 and reads an IPv6 loopback host', () => {
    expect(redisOptions('redis://[::1]')).toEqual({ host: '::1', port: 6379 });
  });

  it('refuses another scheme without showing the password', () => {
    expect(() => redisOptions('http://u:topsecret@h:1')).toThrow(/redis:\/\/ or rediss:\/\/.*http:\/\/u:\*\*\*@h:1/);
    expect(() => redisOptions('http://u:topsecret@h:1')).not.toThrow(/topsecret/);
  });
});

describe('redactRedisUrl', () => {
  it('replaces the password by *** and keeps the rest', () => {
    expect(redactRedisUrl('redis://app:s3cret@db:6379/0')).toBe('redis://app:***@db:6379/0');
  });

  it('leaves a URL without password as it is', () => {
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('shows nothing of a string that is not a URL', () => {
    expect(redactRedisUrl('pass word@@')).toBe('<unparsable redis URL>');
  });
});
