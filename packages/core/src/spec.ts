import type { FederatedSpec } from './federated-spec.js';
import type { FunctionSpec } from './function-spec.js';
import type { SequenceSpec } from './sequence-spec.js';
import type { StructSpec } from './struct-spec.js';
import type { TensorSpec } from './tensor-spec.js';

/** Any fedkit type spec; discriminate on `kind`. */
export type Spec = TensorSpec | StructSpec | SequenceSpec | FederatedSpec | FunctionSpec;
