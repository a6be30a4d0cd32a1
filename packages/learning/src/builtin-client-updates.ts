import type { ClientUpdate } from './client-update.js';
import { localTraining } from './local-training.js';
import { meanGradient } from './mean-gradient.js';
import { proximalTraining } from './proximal-training.js';
import { qfflTraining } from './qffl-training.js';
import { scaffoldTraining } from './scaffold-training.js';

/** The client-update blocks every executor knows without a container: local, proximal, mean gradient, q-FFL, SCAFFOLD. */
export const BUILTIN_CLIENT_UPDATES: ReadonlyMap<string, ClientUpdate> = new Map(
  [localTraining, proximalTraining, meanGradient, qfflTraining, scaffoldTraining].map((u) => [u.name, u]),
);
