import { describe, expect, it } from 'vitest';

import { FederatedSpec } from './federated-spec.js';
import { FunctionSpec } from './function-spec.js';
import { CLIENTS, SERVER } from './placements.js';
import { SequenceSpec } from './sequence-spec.js';
import { StructSpec } from './struct-spec.js';
import { TensorSpec } from './tensor-spec.js';

const batch = new StructSpec({ x: new TensorSpec([null, 784]), y: new TensorSpec([null, 1], 'int32') });

describe('SequenceSpec', () => {
  it('prints T*', () => {
    expect(new SequenceSpec(batch).toString()).toBe('<x=float32[?,784],y=int32[?,1]>*');
  });
});

describe('FederatedSpec', () => {
  it('prints a server value as T@SERVER (all equal by default)', () => {
    expect(new FederatedSpec(new TensorSpec([]), SERVER).toString()).toBe('float32@SERVER');
  });

  it('prints client values as {T}@CLIENTS (not all equal by default)', () => {
    expect(new FederatedSpec(new SequenceSpec(batch), CLIENTS).toString()).toBe(
      '{<x=float32[?,784],y=int32[?,1]>*}@CLIENTS',
    );
  });

  it('prints an all-equal client value without braces', () => {
    expect(new FederatedSpec(new TensorSpec([], 'int32'), CLIENTS, true).toString()).toBe('int32@CLIENTS');
  });
});

describe('FunctionSpec', () => {
  it('prints (P -> R)', () => {
    const state = new FederatedSpec(new StructSpec({ round: new TensorSpec([], 'int32') }), SERVER);
    const data = new FederatedSpec(new SequenceSpec(batch), CLIENTS);
    const fn = new FunctionSpec(new StructSpec({ state, client_data: data }), state);
    expect(fn.toString()).toBe(
      '(<state=<round=int32>@SERVER,client_data={<x=float32[?,784],y=int32[?,1]>*}@CLIENTS> -> <round=int32>@SERVER)',
    );
  });

  it('prints a no-argument function as ( -> R)', () => {
    expect(new FunctionSpec(undefined, new FederatedSpec(new TensorSpec([2]), SERVER)).toString()).toBe(
      '( -> float32[2]@SERVER)',
    );
  });
});
