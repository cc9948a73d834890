// Failures of a platform call, kept apart: the platform said no, or it could not be reached.

/** The platform answered and refused (HTTP 4xx or an error code); `retryAfterMs` when it asked us to wait. */
export class PlatformRefusedError extends Error {
  override readonly name = "PlatformRefusedError";

  constructor(
    readonly platform: string,
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(`${platform} refused (${status}): ${message}`, options);
  }
}

/** The platform could not be reached, or failed on its side (network error, timeout, HTTP 5xx). */
export class PlatformUnavailableError extends Error {
  override readonly name = "PlatformUnavailableError";

  constructor(
    readonly platform: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${platform} unavailable: ${message}`, options);
  }
}

/** Worth trying again: unreachable, or refused with a wait (429, "send too fast"). */
export function isTransient(err: unknown): boolean {
  return (
    err instanceof PlatformUnavailableError ||
    (err instanceof PlatformRefusedError && err.retryAfterMs !== undefined)
  );
}
