/**
 * An error raised while a client ran, carrying how far it got (examples and
 * batches consumed), so that the failure report can say so.
 */
export class ClientTrainingError extends Error {
  constructor(
    message: string,
    readonly numExamples: number,
    readonly numBatches: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ClientTrainingError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
