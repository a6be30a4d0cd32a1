/**
 * Redis cannot be reached (at start) or was lost (mid-run). The message names
 * the URL with its password redacted and says what to do; the run stops (the
 * simulator keeps a checkpoint of the last completed round).
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';

  constructor(
    message: string,
    /** The URL, password redacted. */
    readonly url: string,
  ) {
    super(message);
  }
}
