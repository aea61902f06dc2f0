/** A Loki answer the caller must know about: unreachable, refused, or not what a log query returns. */
export class LokiError extends Error {
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message);
  }
}
