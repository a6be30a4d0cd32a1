import { describe, ValueError } from '@fedkit/core';

/** A JSON object (parsed model.json or one of its parts). */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields Keras 3 adds to every serialized object; tfjs 4.22 knows none of them. */
const KERAS3_ONLY_FIELDS = new Set(['module', 'registered_name', 'build_config', 'compile_config', 'shared_object_id']);
const TFJS_DTYPES = new Set(['float32', 'int32', 'bool', 'complex64', 'string']);

/**
 * Whether `json` (a whole model.json, its `modelTopology`, or a model config)
 * was written by Keras 3: an InputLayer with `batch_shape`, a node in the
 * `{ args, kwargs }` format, or a `DTypePolicy` object.
 */
export function isKeras3ModelJson(json: unknown): boolean {
  let found = false;
  const visit = (v: unknown): void => {
    if (found) return;
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (isObject(v)) {
      if ('batch_shape' in v || v['class_name'] === 'DTypePolicy' || v['class_name'] === '__keras_tensor__') {
        found = true;
        return;
      }
      Object.values(v).forEach(visit);
    }
  };
  visit(json);
  return found;
}

/**
 * Converts a layers model saved by **Keras 3** (its model.json, its
 * `modelTopology`, or a bare model config) to the Keras 2 format tfjs 4.22
 * reads, which cannot load Keras 3 models (tfjs issues 8328 and 8494):
 *
 * - an InputLayer's `batch_shape` becomes `batch_input_shape`;
 * - a node `{ args, kwargs }` whose args hold `__keras_tensor__` objects with a
 *   `keras_history` `[layer, nodeIndex, tensorIndex]` becomes a Keras 2 node, a
 *   list of `[layer, nodeIndex, tensorIndex, kwargs]`;
 * - a `DTypePolicy` object becomes its dtype name (`'float32'`);
 * - `module`, `registered_name`, `build_config` and `compile_config` are dropped;
 * - the `Functional` class is called `Model`, and single `input_layers` /
 *   `output_layers` triples become lists of triples.
 *
 * Weight names are the same in both formats (`dense/kernel`), so the weights
 * manifest is kept. The input is not modified. Keras 2 JSON passes unchanged.
 *
 * @throws ValueError when a dtype policy is not a single tfjs dtype (e.g.
 *   `mixed_float16`), or a node refers to no layer.
 * @example
 * ```ts
 * const json = JSON.parse(await fs.readFile('model.json', 'utf8'));
 * const model = await tf.loadLayersModel(tf.io.fromMemory(convertKeras3ModelJson(json).modelTopology));
 * ```
 */
export function convertKeras3ModelJson<T>(json: T): T {
  return convert(json, []) as T;
}

function convert(v: unknown, path: readonly string[]): unknown {
  if (Array.isArray(v)) return v.map((item, i) => convert(item, [...path, String(i)]));
  if (!isObject(v)) return v;
  if (v['class_name'] === 'DTypePolicy') return dtypeOfPolicy(v, path);
  const out: Json = {};
  for (const [key, value] of Object.entries(v)) {
    if (KERAS3_ONLY_FIELDS.has(key)) continue;
    const at = [...path, key];
    if (key === 'batch_shape') out['batch_input_shape'] = value;
    else if (key === 'inbound_nodes' && Array.isArray(value)) out[key] = value.map((node, i) => convertNode(node, [...at, String(i)]));
    else if ((key === 'input_layers' || key === 'output_layers') && isTensorTriple(value)) out[key] = [value];
    else if ((key === 'input_layers' || key === 'output_layers') && isObject(value)) out[key] = Object.values(value);
    else out[key] = convert(value, at);
  }
  if (out['class_name'] === 'Functional') out['class_name'] = 'Model';
  return out;
}

function isTensorTriple(v: unknown): v is [string, number, number] {
  return Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'number';
}

function dtypeOfPolicy(policy: Json, path: readonly string[]): string {
  const name = isObject(policy['config']) ? policy['config']['name'] : undefined;
  if (typeof name !== 'string' || !TFJS_DTYPES.has(name)) {
    throw new ValueError(
      `convertKeras3ModelJson: the dtype policy at ${path.join('.')} is ${typeof name === 'string' ? `"${name}"` : describe(name)}; tfjs layers compute in one dtype ` +
        `(${[...TFJS_DTYPES].join(', ')}). Save the Keras model with keras.mixed_precision.set_dtype_policy('float32').`,
    );
  }
  return name;
}

/** A Keras 3 node `{ args, kwargs }` -> a Keras 2 node `[[layer, nodeIndex, tensorIndex, kwargs], ...]`. */
function convertNode(node: unknown, path: readonly string[]): unknown {
  if (!isObject(node) || !('args' in node)) return convert(node, path); // already Keras 2
  const tensors: [string, number, number][] = [];
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (isObject(v)) {
      if (v['class_name'] === '__keras_tensor__') {
        const history = isObject(v['config']) ? v['config']['keras_history'] : undefined;
        if (!isTensorTriple(history)) {
          throw new ValueError(
            `convertKeras3ModelJson: the tensor at ${path.join('.')} has keras_history ${describe(history)}, expected ` +
              '[layerName, nodeIndex, tensorIndex]. Re-save the model with Keras 3 model.to_json().',
          );
        }
        tensors.push(history);
      } else Object.values(v).forEach(collect);
    }
  };
  collect(node['args']);
  const kwargs: Json = {};
  if (isObject(node['kwargs'])) {
    for (const [k, value] of Object.entries(node['kwargs'])) {
      if (isObject(value) && value['class_name'] === '__keras_tensor__') {
        throw new ValueError(
          `convertKeras3ModelJson: the node at ${path.join('.')} passes a tensor as keyword argument "${k}"; Keras 2 nodes ` +
            '(what tfjs reads) carry tensors only as inputs. Rebuild the model passing that tensor positionally.',
        );
      }
      kwargs[k] = convert(value, [...path, 'kwargs', k]);
    }
  }
  return tensors.map(([layer, nodeIndex, tensorIndex]) => [layer, nodeIndex, tensorIndex, kwargs]);
}
