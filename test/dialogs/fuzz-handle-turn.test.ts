// fast-check fuzz: random messages (emoji, zero-width and control characters, full-width digits, HTML,
// Markdown, mixed languages, sometimes 100 KB) through handleTurn never throw and always get a reply.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { handleTurn } from "../../src/dialogs/handle-turn.ts";
import type { DialogState } from "../../src/dialogs/types.ts";
import { realDeps } from "./support/real-deps.ts";

const deps = realDeps();

const piece = fc.oneof(
  fc.constantFrom(
    "😀",
    "🎉👍",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u0000",
    "\u0007",
    "\u001b[31m",
    "\r\n",
    "\t",
    "１２３",
    "２０１９年７月",
    "<script>alert(1)</script>",
    "<b>北京</b>",
    "**高工**",
    "[链接](http://x)",
    "`code`",
    "北京",
    "浙江",
    "巴中",
    "成都",
    "硕士",
    "研究生",
    "博士",
    "2019年7月毕业",
    "去年",
    "三年前",
    "做了五年",
    "一直做AI",
    "能评高工吗",
    "正高",
    "中级",
    "国企",
    "退休",
    "不知道",
    "没有",
    "是",
    "不对",
    "改一下学历",
    "公示几天？",
    "详细",
    "/check",
    "/ask",
    "/clause",
    "/deadlines",
    "/reset",
    "/forget",
    "/help",
    "/start",
    "/unknown",
    "hello",
    "Привет",
    "مرحبا",
    "省部级科技奖排名第二",
    "论文3篇",
    "自评88分",
    "\ud800",
    "🧑🏽‍💻",
  ),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
);

const message = fc.oneof(
  { weight: 40, arbitrary: fc.array(piece, { maxLength: 8 }).map((xs) => xs.join("")) },
  { weight: 1, arbitrary: fc.constantFrom("啊", "😀", "<p>", "x").map((c) => c.repeat(100_000)) },
);

describe("handleTurn fuzz", () => {
  it("2,000 random messages in 500 running conversations: no throw, a non-empty reply each time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 4, maxLength: 4 }), async (messages) => {
        let state: DialogState | undefined;
        for (const text of messages) {
          const out = await handleTurn(state, { channel: "fuzz", user: "f", text }, deps);
          expect(out.replies.length).toBeGreaterThan(0);
          for (const r of out.replies) expect(r.text.trim().length).toBeGreaterThan(0);
          state = out.state === "delete" ? undefined : out.state;
        }
      }),
      { numRuns: 500, seed: 20240815 }, // 500 conversations × 4 messages = 2,000,
    );
  });
});
