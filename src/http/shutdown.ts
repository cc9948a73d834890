// Graceful shutdown: stop accepting, let requests in flight finish within a grace period, then close regardless.
import { setImmediate as nextTurn } from "node:timers/promises";
import type { FastifyInstance } from "fastify";

/** Whether the server is draining; read by GET /readyz and by every request and response hook. */
export class Lifecycle {
  draining = false;
}

/** How a shutdown went: `forced` when connections were still open at the end of the grace period. */
export interface ShutdownResult {
  forced: boolean;
}

/**
 * Drains the server: marks it draining (GET /readyz answers 503, a request arriving on a connection still open
 * gets 503, every response closes its connection), closes the listening socket (new connections are refused)
 * and the idle keep-alive connections, and waits for the requests in flight. Connections still open after
 * `graceMs` (a slow client, a stuck request) are destroyed, so shutdown never waits longer than that.
 */
export async function drain(
  app: FastifyInstance,
  lifecycle: Lifecycle,
  graceMs: number,
): Promise<ShutdownResult> {
  lifecycle.draining = true;
  // Node's server.close() stops listening and closes idle connections; Fastify then waits for the others.
  let settled = false;
  const closed = app.close().finally(() => {
    settled = true;
  });
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<true>((resolve) => {
    timer = setTimeout(() => resolve(true), graceMs);
  });
  // app.close() reaches server.close() after Fastify's own preClose step, a few turns of the event loop later.
  while (app.server.listening && !settled) await nextTurn();
  app.log.info({ graceMs }, "shutting down: not accepting connections; finishing requests in flight");
  const forced = await Promise.race([closed.then(() => false), graceOver]);
  clearTimeout(timer);
  if (forced) {
    app.log.warn({ graceMs }, "grace period over: closing the connections still open");
    app.server.closeAllConnections();
    await closed;
  }
  return { forced };
}
