import { float32FromBytes, ProtocolError, type ClientMessage } from '@fedkit/client';

/** Why an update was refused (counted per round as `rejected_<reason>`). */
export type RejectionReason = 'non_finite' | 'shape' | 'too_large' | 'malformed';

/** The outcome of {@link checkUpdate}. */
export type UpdateCheck = { readonly ok: true; readonly update: Float32Array[] } | { readonly ok: false; readonly reason: RejectionReason; readonly message: string };

/**
 * Checks a client's update before anything aggregates it: one array per
 * trainable weight with exactly the expected number of values, and every
 * value finite. A client that could not train sends `failed`, and a client
 * whose own pass went non-finite sends zeros with `updateNonFinite`, so a
 * NaN in a `result` is a broken or hostile client.
 * @example
 * ```ts
 * const c = checkUpdate(message, [[784, 200], [200]]);
 * if (!c.ok) console.log(c.reason); // 'shape'
 * ```
 */
export function checkUpdate(m: Extract<ClientMessage, { t: 'result' }>, shapes: readonly (readonly number[])[]): UpdateCheck {
  if (m.update.length !== shapes.length) return { ok: false, reason: 'shape', message: `expected ${shapes.length} update arrays (one per trainable weight), found ${m.update.length}` };
  const update: Float32Array[] = [];
  for (const [i, bytes] of m.update.entries()) {
    const size = shapes[i]!.reduce((a, b) => a * b, 1);
    if (bytes.byteLength !== size * 4) return { ok: false, reason: 'shape', message: `update array ${i} has ${bytes.byteLength} bytes, expected ${size} float32 values (${size * 4} bytes) for shape [${shapes[i]!.join(',')}]` };
    let a: Float32Array;
    try {
      a = float32FromBytes(bytes);
    } catch (e) {
      return { ok: false, reason: 'malformed', message: e instanceof ProtocolError ? e.message : String(e) };
    }
    for (let k = 0; k < a.length; k++) {
      if (!Number.isFinite(a[k]!)) return { ok: false, reason: 'non_finite', message: `update array ${i} holds a non-finite value (${a[k]}) at index ${k}` };
    }
    update.push(a);
  }
  if (!Number.isFinite(m.numExamples) || Object.values(m.metrics).some((v) => v.some((x) => !Number.isFinite(x)))) {
    return { ok: false, reason: 'non_finite', message: 'the metrics hold a non-finite value' };
  }
  return { ok: true, update };
}
