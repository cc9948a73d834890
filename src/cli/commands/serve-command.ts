// `serve` (and `npm start`): the HTTP API and web console until SIGINT/SIGTERM.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Io } from "../services.ts";
import { CHAT_MESSAGES } from "../../i18n/chat-messages.ts";

/** Listens, reports where, and resolves once a signal has closed the server and run `onClose`. */
export async function serveCommand(
  server: Server,
  where: { host: string; port: number; sessions: string },
  io: Io,
  onClose: () => Promise<void>,
): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(where.port, where.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  io.stdout.write(
    `${CHAT_MESSAGES.serving(`http://${where.host}:${port}/`)}\n${CHAT_MESSAGES.sessionsIn(where.sessions)}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await onClose();
  return 0;
}
