// An output file opened before anything is written to it, so a path that cannot be written is an error the
// command's handler sees (a write stream's own 'error' event, unheard, would end the process with a stack).
import { createWriteStream, type WriteStream } from "node:fs";

/** Opens `file` for writing; rejects with the file system's error (ENOENT, EACCES, EISDIR…) if it cannot. */
export function openOutput(file: string): Promise<WriteStream> {
  const stream = createWriteStream(file);
  return new Promise((resolve, reject) => {
    stream.once("open", () => {
      stream.off("error", reject);
      resolve(stream);
    });
    stream.once("error", reject);
  });
}
