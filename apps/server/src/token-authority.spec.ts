import { describe, expect, it } from 'vitest';

import { TokenAuthority } from './token-authority.js';

describe('TokenAuthority', () => {
  const auth = new TokenAuthority('secret-0123456789abcdef');

  it('verifies a token it issued, for its federation', () => {
    const token = auth.issue({ client: 'a', federation: 'mnist', exp: 0 });
    expect(auth.verify(token, 'mnist')).toEqual({ client: 'a', federation: 'mnist', exp: 0 });
  });

  it('refuses a token for another federation, an expired one, and one with an edited body', () => {
    const other = auth.issue({ client: 'a', federation: 'cifar', exp: 0 });
    const expired = auth.issue({ client: 'a', federation: 'mnist', exp: 1000 });
    const [, sig] = auth.issue({ client: 'a', federation: 'mnist', exp: 0 }).split('.');
    const edited = `${Buffer.from(JSON.stringify({ client: 'admin', federation: 'mnist', exp: 0 })).toString('base64url')}.${sig}`;
    expect(auth.verify(other, 'mnist')).toBeUndefined();
    expect(auth.verify(expired, 'mnist', 1001)).toBeUndefined();
    expect(auth.verify(edited, 'mnist')).toBeUndefined();
    expect(auth.verify('not-a-token', 'mnist')).toBeUndefined();
  });

  it('refuses a secret shorter than 16 characters', () => {
    expect(() => new TokenAuthority('short')).toThrow(/at least 16 characters/);
  });
});
