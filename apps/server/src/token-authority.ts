import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a valid token says. */
export interface TokenClaims {
  /** The client the token was issued to. */
  readonly client: string;
  /** The federation it may join (`*`: any). */
  readonly federation: string;
  /** Expiry, seconds since the epoch (0: never). */
  readonly exp: number;
}

const b64 = (s: Buffer | string): string => Buffer.from(s).toString('base64url');

/**
 * Issues and verifies client tokens: `base64url(claims JSON).base64url(HMAC-SHA256)`,
 * signed with the server's secret. The server keeps no token list; anyone
 * holding the secret can issue tokens (`fedkit-server token`), and changing the
 * secret revokes them all.
 * @example
 * ```ts
 * const auth = new TokenAuthority(process.env.FEDKIT_SERVER_SECRET!);
 * const token = auth.issue({ client: 'hospital-a', federation: 'mnist', exp: 0 });
 * auth.verify(token, 'mnist'); // { client: 'hospital-a', ... }
 * ```
 */
export class TokenAuthority {
  constructor(private readonly secret: string) {
    if (secret.length < 16) throw new RangeError(`The token secret must have at least 16 characters, found ${secret.length}; generate one with \`openssl rand -hex 32\`.`);
  }

  /** A signed token for these claims. */
  issue(claims: TokenClaims): string {
    const body = b64(JSON.stringify(claims));
    return `${body}.${this.sign(body)}`;
  }

  /** The claims of a valid token for `federation`, or undefined (bad signature, malformed, expired, other federation). */
  verify(token: string, federation: string, nowSeconds = Date.now() / 1000): TokenClaims | undefined {
    const [body, sig, ...rest] = token.split('.');
    if (body === undefined || sig === undefined || rest.length > 0) return undefined;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return undefined;
    }
    if (typeof claims.client !== 'string' || typeof claims.federation !== 'string' || typeof claims.exp !== 'number') return undefined;
    if (claims.exp !== 0 && claims.exp < nowSeconds) return undefined;
    if (claims.federation !== '*' && claims.federation !== federation) return undefined;
    return claims;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
