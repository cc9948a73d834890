// `serve` (and `npm start`): the HTTP API and web console until SIGINT/SIGTERM, then a graceful shutdown.
import type { HttpServer } from "../../http/http-server.ts";
import type { Io } from "../services.ts";
import { CHAT_MESSAGES } from "../../i18n/chat-messages.ts";
import { closeWithin, untilStopSignal } from "../stop-signals.ts";

/** Where to listen and how long a shutdown may wait for requests in flight (SHUTDOWN_GRACE_MS). */
export interface ServeSettings {
  host: string;
  port: number;
  /** Where sessions are kept, for the start-up line. */
  sessions: string;
  graceMs: number;
}

/** After shutdown, how long anything still holding the event loop (an abandoned LLM call) may delay the exit. */
const EXIT_DEADLINE_MS = 1_000;

/** `http://host:port/`, with an IPv6 host in brackets. */
function urlOf(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
}

/**
 * Listens, reports where, and on SIGINT/SIGTERM drains the server (requests in flight get up to `graceMs`; a
 * second signal ends every connection at once), then runs `onClose` (the session store) and resolves.
 */
export async function serveCommand(
  server: HttpServer,
  where: ServeSettings,
  io: Io,
  onClose: () => Promise<void>,
): Promise<number> {
  const { port } = await server.listen(where.port, where.host);
  io.stdout.write(
    `${CHAT_MESSAGES.serving(urlOf(where.host, port))}\n${CHAT_MESSAGES.sessionsIn(where.sessions)}\n`,
  );
  await untilStopSignal();
  const again = () => server.closeAllConnections();
  process.on("SIGINT", again);
  process.on("SIGTERM", again);
  try {
    await server.shutdown(where.graceMs);
    // The channels, reminders and store close in order, with a deadline of their own.
    await closeWithin(onClose);
  } finally {
    process.off("SIGINT", again);
    process.off("SIGTERM", again);
  }
  // Nothing may keep the process alive past this point: exit (with the status the caller sets) if it has not.
  setTimeout(() => process.exit(), EXIT_DEADLINE_MS).unref();
  return 0;
}
