/** passport-jwt's verification hook: `(token, key, options, done)`, done called with the claims or an error. */
export type JwtVerifier = (token: string, key: unknown, options: unknown, done: (err: Error | null, claims?: unknown) => void) => void;

/**
 * A verifier that remembers the tokens it has verified, until each one's `exp`: a signed-in client
 * sends the same access token with every request, and checking its HMAC and parsing it again each
 * time is CPU for nothing (issue #18). Tokens are remembered per key object (JwtStrategy's KeyObject,
 * one per strategy with its fixed options) and only once they verified, so a hit is the answer
 * verification would give; expiry is checked on every hit as jsonwebtoken checks it (`now < exp`, in
 * whole seconds). Revocation is not decided here: the caller is read from the database and
 * forgotten at any change to it (JwtStrategy.validate, users/remembered-callers.ts). Bounded: beyond
 * `max` tokens per key the oldest is forgotten (and verified again).
 */
export function rememberingVerifier(verify: JwtVerifier, max = 10_000): JwtVerifier {
  const byKey = new WeakMap<object, Map<string, Readonly<{ exp?: number }>>>();
  return (token, key, options, done) => {
    if (!key || typeof key !== 'object') return verify(token, key, options, done);
    let verified = byKey.get(key);
    if (!verified) byKey.set(key, (verified = new Map()));
    const claims = verified.get(token);
    if (claims) {
      if (claims.exp === undefined || Math.floor(Date.now() / 1000) < claims.exp) return done(null, claims);
      verified.delete(token);
    }
    const remember = verified;
    verify(token, key, options, (err, payload) => {
      if (!err && payload && typeof payload === 'object') {
        if (remember.size >= max) remember.delete(remember.keys().next().value!);
        remember.set(token, Object.freeze(payload));
      }
      done(err, payload);
    });
  };
}
