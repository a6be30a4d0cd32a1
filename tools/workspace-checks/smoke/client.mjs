// Smoke test for @fedkit/client installed from its tarball: a protocol frame round trip, chunked.
import { clientMessageSchema, encodeFrames, float32Bytes, float32FromBytes, FrameDecoder, PROTOCOL_VERSION } from '@fedkit/client';

const update = Float32Array.from({ length: 1000 }, (_, i) => i / 7);
const frames = encodeFrames({ t: 'result', round: 1, task: 't', update: [float32Bytes(update)], numExamples: 1, numBatches: 1, updateNonFinite: false, metrics: {} }, 1024);
const decoder = new FrameDecoder(clientMessageSchema, 1 << 20);
const out = frames.map((f) => decoder.push(f)).at(-1);
if (frames.length < 2 || out?.t !== 'result' || float32FromBytes(out.update[0])[999] !== update[999]) throw new Error('chunked result did not round-trip');
if (decoder.push(encodeFrames({ t: 'hello', v: PROTOCOL_VERSION }, 1024)[0]).t !== 'hello') throw new Error('hello did not decode');
console.log('@fedkit/client ok');
