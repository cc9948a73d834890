// Raw HTTP/1.1 over a socket, for what fetch refuses to send (broken request lines, bad headers, any bytes).
import { connect } from "node:net";

/**
 * Sends `bytes` on a fresh connection and resolves with everything the server wrote until it closed (or until
 * one response with a Content-Length was complete). `end` also closes our side after sending, so a request the
 * bytes leave incomplete ends there instead of waiting for the server's request timeout; a reset then resolves
 * with what arrived.
 */
export function rawExchange(
  port: number,
  bytes: string | Buffer,
  options: { end?: boolean } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      // One response is all we wait for: stop once its body (Content-Length) is complete.
      const text = Buffer.concat(chunks).toString("utf8");
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      const head = text.indexOf("\r\n\r\n");
      if (length !== undefined && head >= 0 && Buffer.byteLength(text.slice(head + 4)) >= Number(length))
        socket.end();
    });
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", (error: NodeJS.ErrnoException) =>
      options.end && error.code === "ECONNRESET"
        ? resolve(Buffer.concat(chunks).toString("utf8"))
        : reject(error),
    );
    socket.write(bytes);
    if (options.end) socket.end();
  });
}
