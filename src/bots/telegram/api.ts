// Bot API calls through telegraf's client, with its errors sorted into "refused" and "unavailable".
// https://core.telegram.org/bots/api#making-requests
import { TelegramError, type Telegram } from "telegraf";
import { PlatformRefusedError, PlatformUnavailableError } from "../platform-error.ts";

const PLATFORM = "telegram";

/** A telegraf failure as a platform error: 429 keeps its retry_after, 5xx and network errors are "unavailable". */
export function toPlatformError(err: unknown): Error {
  if (err instanceof PlatformRefusedError || err instanceof PlatformUnavailableError) return err;
  if (err instanceof TelegramError) {
    if (err.code >= 500)
      return new PlatformUnavailableError(PLATFORM, `${err.code} ${err.description}`, { cause: err });
    const retryAfter = err.parameters?.retry_after;
    return new PlatformRefusedError(
      PLATFORM,
      err.code,
      err.description,
      retryAfter !== undefined ? retryAfter * 1000 : undefined,
      { cause: err },
    );
  }
  // node-fetch's FetchError (refused, reset, DNS), a broken JSON body: the request did not get an answer.
  const message = err instanceof Error ? err.message : String(err);
  return new PlatformUnavailableError(PLATFORM, message, { cause: err });
}

/** Runs one call; failures come out as platform errors. */
export async function callTelegram<T>(
  call: (telegram: Telegram) => Promise<T>,
  telegram: Telegram,
): Promise<T> {
  try {
    return await call(telegram);
  } catch (err) {
    throw toPlatformError(err);
  }
}
