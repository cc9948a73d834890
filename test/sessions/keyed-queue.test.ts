// Per-key serialisation: order kept within a key, keys independent, failures isolated, idle keys released.
import { describe, expect, it } from "vitest";
import { KeyedQueue } from "../../src/sessions/keyed-queue.ts";

describe("keyed queue", () => {
  it("runs the tasks of one key one after another, in order, while other keys proceed", async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = queue.run("a", async () => {
      log.push("a1 start");
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      log.push("a1 end");
    });
    const second = queue.run("a", () => Promise.resolve(log.push("a2")));
    await queue.run("b", () => Promise.resolve(log.push("b1")));
    expect(log).toEqual(["a1 start", "b1"]);
    releaseFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(["a1 start", "b1", "a1 end", "a2"]);
  });

  it("does not let a failed task stop the next one of the same key, and frees idle keys", async () => {
    const queue = new KeyedQueue();
    const failure = new Error("boom");
    const failed = queue.run("a", () => Promise.reject(failure));
    const next = queue.run("a", () => Promise.resolve("ok"));
    await expect(failed).rejects.toBe(failure);
    await expect(next).resolves.toBe("ok");
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.size).toBe(0);
  });
});
