// `serve` (and `npm start`): the HTTP API and web console until SIGINT/SIGTERM, then a graceful shutdown.
import type { HttpServer } from "../../http/http-server.ts";
import type { Io } from "../services.ts";
import { CHAT_MESSAGES } from "../../i18n/chat-messages.ts";

/** Where to listen and how long a shutdown may wait for requests in flight (SHUTDOWN_GRACE_MS). */
export interface ServeSettings {
  host: string;
  port: number;
  /** Where sessions are kept, for the start-up line. */
  sessions: string;
  graceMs: number;
}

/** How long closing the channels, reminders and store may take after the HTTP drain. */
const CLOSE_DEADLINE_MS = 5_000;

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
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  const again = () => server.closeAllConnections();
  process.on("SIGINT", again);
  process.on("SIGTERM", again);
  try {
    await server.shutdown(where.graceMs);
    // The channels, reminders and store close in order; a Redis that is down can hold a close forever (a queue
    // worker waits for its connection), so they get a deadline of their own and the process exits regardless.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_DEADLINE_MS);
    });
    await Promise.race([onClose(), deadline]).finally(() => clearTimeout(timer));
  } finally {
    process.off("SIGINT", again);
    process.off("SIGTERM", again);
  }
  // Nothing may keep the process alive past this point: exit (with the status the caller sets) if it has not.
  setTimeout(() => process.exit(), EXIT_DEADLINE_MS).unref();
  return 0;
}
