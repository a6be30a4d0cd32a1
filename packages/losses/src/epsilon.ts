/**
 * Keras's fuzz factor (`keras.backend.epsilon()`), used to clip probabilities
 * away from 0 and 1 and to guard divisions and logarithms.
 */
export const EPSILON = 1e-7;
