// One inbound message's outcome turned into sends: redelivery, pending, busy, failures (a stub turn, no platform).
import { describe, expect, it } from "vitest";
import { MemoryDeliveryLog } from "../../src/app/delivery-log.ts";
import { answerMessage } from "../../src/bots/answer-message.ts";
import { PlatformRefusedError, PlatformUnavailableError } from "../../src/bots/platform-error.ts";
import { BOT_MESSAGES } from "../../src/i18n/bot-messages.ts";
import type { ChatOutcome, InboundMessage, Reply } from "../../src/shared/chat.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { memoryLogger } from "./support/channel-env.ts";

const msg: InboundMessage = { channel: "test", user: "u:1", text: "公示几天？", messageId: "m1" };
const reply: Reply = { text: "公示期不少于5个工作日。" };

function setup(outcomes: Array<ChatOutcome | Error>) {
  const sent: Reply[][] = [];
  const log = memoryLogger();
  const deliveries = new MemoryDeliveryLog(systemClock);
  let turns = 0;
  const deps = {
    turn: () => {
      const next = outcomes[Math.min(turns++, outcomes.length - 1)];
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next as ChatOutcome);
    },
    deliveries,
    log,
  };
  const send = (replies: Reply[]) => {
    sent.push(replies);
    return Promise.resolve();
  };
  return { sent, log, deliveries, deps, send, turns: () => turns };
}

describe("answering one message", () => {
  it("sends an answer and remembers it was delivered: a redelivery sends nothing and runs no turn", async () => {
    const t = setup([{ status: "answered", replies: [reply] }]);
    expect(await answerMessage(msg, t.send, t.deps)).toBe("done");
    expect(await t.deliveries.wasDelivered("test:m1")).toBe(true);
    expect(await answerMessage(msg, t.send, t.deps)).toBe("done");
    expect(t.sent).toEqual([[reply]]);
    expect(t.turns()).toBe(1);
  });

  it("sends a duplicate's replies when the first delivery never got them out", async () => {
    const t = setup([{ status: "duplicate", replies: [reply] }]);
    expect(await answerMessage(msg, t.send, t.deps)).toBe("done");
    expect(t.sent).toEqual([[reply]]);
    expect(await t.deliveries.wasDelivered("test:m1")).toBe(true);
  });

  it("does not mark a duplicate without replies as delivered (a later redelivery may still bring them)", async () => {
    const t = setup([{ status: "duplicate", replies: [] }]);
    expect(await answerMessage(msg, t.send, t.deps)).toBe("done");
    expect(t.sent).toEqual([]);
    expect(await t.deliveries.wasDelivered("test:m1")).toBe(false);
  });

  it("asks again while the first delivery is pending elsewhere, then leaves it for a redelivery", async () => {
    const pendingThenAnswered = setup([
      { status: "pending", replies: [] },
      { status: "answered", replies: [reply] },
    ]);
    expect(await answerMessage(msg, pendingThenAnswered.send, pendingThenAnswered.deps, [1, 1])).toBe("done");
    expect(pendingThenAnswered.sent).toEqual([[reply]]);
    const stuck = setup([{ status: "pending", replies: [] }]);
    expect(await answerMessage(msg, stuck.send, stuck.deps, [1, 1])).toBe("retry-later");
    expect(stuck.turns()).toBe(3);
    expect(stuck.sent).toEqual([]);
  });

  it("sends busy and rate-limit texts without remembering them (a retry is answered)", async () => {
    const t = setup([{ status: "busy", replies: [{ text: "服务繁忙" }], retryAfterSeconds: 5 }]);
    expect(await answerMessage(msg, t.send, t.deps)).toBe("done");
    expect(t.sent).toEqual([[{ text: "服务繁忙" }]]);
    expect(await t.deliveries.wasDelivered("test:m1")).toBe(false);
  });

  it("apologises with a reference id that is also in the log when the turn throws", async () => {
    const t = setup([new Error("boom")]);
    expect(await answerMessage(msg, t.send, t.deps)).toBe("done");
    const text = t.sent[0]?.[0]?.text ?? "";
    const ref = /参考编号：(\w+)/.exec(text)?.[1];
    expect(text).toBe(BOT_MESSAGES.failed(ref ?? "?"));
    expect(t.log.lines.some((l) => l.includes(`ref ${ref}`) && l.includes("boom"))).toBe(true);
    expect(t.log.lines.join("\n")).not.toContain(msg.text);
  });

  it("reports retry-later when the platform stays unreachable, and drops a refusal", async () => {
    const down = setup([{ status: "answered", replies: [reply] }]);
    const unreachable = () => Promise.reject(new PlatformUnavailableError("test", "HTTP 502"));
    expect(await answerMessage(msg, unreachable, down.deps)).toBe("retry-later");
    expect(await down.deliveries.wasDelivered("test:m1")).toBe(false);
    const refusedSetup = setup([{ status: "answered", replies: [reply] }]);
    const refused = () => Promise.reject(new PlatformRefusedError("test", 403, "blocked"));
    expect(await answerMessage(msg, refused, refusedSetup.deps)).toBe("done");
    expect(refusedSetup.log.lines.join("\n")).toMatch(/dropped \(refused\)/);
  });
});
