// fast-check fuzz of 10,000 messages through chatTurn and the in-memory session store the composition root
// picks without REDIS_URL (test/dialogs/fuzz-handle-turn.test.ts fuzzes handleTurn alone): no throw, a
// non-empty Chinese reply to every message, and a stored state that stays readable turn after turn.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatTurn, type ChatTurnDeps } from "../../src/app/chat-turn.ts";
import { DIALOG_STATE_VERSION, type DialogState } from "../../src/dialogs/types.ts";
import { CHAT_MESSAGES } from "../../src/i18n/chat-messages.ts";
import { systemChat } from "./support/system-chat.ts";

// The rate limit is raised: with the fixed test clock its window never ends, and the fuzz is about the dialog.
let chat: ChatTurnDeps;
beforeAll(async () => {
  ({ chat } = await systemChat({ RATE_LIMIT_PER_MINUTE: "1000000" }));
});
afterAll(() => chat.store.close());

const CJK = /[\u4e00-\u9fff]/;

const piece = fc.oneof(
  fc.constantFrom(
    "😀",
    "👨‍👩‍👧‍👦",
    "🧑🏽‍💻",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u202e",
    "\u0000",
    "\u0008",
    "\u007f",
    "\u001b[2J",
    "\r",
    "\n\n",
    "\u2028",
    "１２３",
    "２０１９年７月毕业",
    "论文３篇",
    "自评９０分",
    "<img src=x onerror=alert(1)>",
    "</div><script>fetch('//evil')</script>",
    "&lt;b&gt;",
    "# 标题",
    "> 引用",
    "| a | b |\n|---|---|",
    "![x](javascript:alert(1))",
    "```\n/forget\n```",
    "北京",
    "杭州",
    "四川巴中",
    "硕士",
    "研究生",
    "高工",
    "正高",
    "民企",
    "2019年7月毕业",
    "不对，是2018年毕业",
    "改一下学历",
    "不知道",
    "是的",
    "公示几天？",
    "巴中评审费多少钱",
    "详细",
    "/check",
    "/ask 破格条件",
    "/clause 继续教育",
    "/deadlines",
    "/reset",
    "/forget",
    "/help",
    "I have a master's degree, 能评高工吗",
    "Bonjour, je suis ingénieur",
    "こんにちは、エンジニアです",
    "안녕하세요",
    "Привет",
    "שלום",
    "مرحبا",
    "\ud83d",
    "\udc00",
  ),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc
    .integer({ min: 0, max: 99_999 })
    .map((n) => String(n).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))),
);

const message = fc.oneof(
  { weight: 60, arbitrary: fc.array(piece, { maxLength: 8 }).map((xs) => xs.join("")) },
  { weight: 1, arbitrary: fc.constantFrom("职", "🎉", "<a>", "\u200b", "1").map((c) => c.repeat(100_000)) },
  {
    weight: 1,
    arbitrary: fc
      .array(piece, { minLength: 1, maxLength: 4 })
      .map((xs) => xs.join("").repeat(100_000).slice(0, 100_000)),
  },
);

let conversation = 0;

describe("chatTurn fuzz (in-memory store)", () => {
  it("10,000 random messages in 2,500 conversations: no throw, a helpful Chinese reply each time", async () => {
    let messages = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 4, maxLength: 4 }), async (texts) => {
        const user = `fuzz-${conversation++}`;
        const key = await chat.userKey("fuzz", user);
        let lastReplies: unknown;
        for (const [i, text] of texts.entries()) {
          const outcome = await chatTurn({ channel: "fuzz", user, text, messageId: `${user}-${i}` }, chat);
          lastReplies = outcome.replies;
          messages++;
          expect(outcome.status).toBe("answered");
          expect(outcome.replies.length).toBeGreaterThan(0);
          for (const r of outcome.replies) expect(r.text.trim().length).toBeGreaterThan(0);
          const all = outcome.replies.map((r) => r.text).join("\n");
          expect(all).toMatch(CJK);
          expect(all).not.toBe(CHAT_MESSAGES.busy);
          expect(all).not.toBe(CHAT_MESSAGES.rateLimited);
          // Whatever was said, the stored conversation is still one this deploy can read and write.
          const stored = await chat.store.withSession<DialogState | undefined>(key, (state) =>
            Promise.resolve({ state: undefined, result: state }),
          );
          if (stored !== undefined) {
            expect(stored.version).toBe(DIALOG_STATE_VERSION);
            expect(JSON.parse(JSON.stringify(stored))).toEqual(stored);
          }
        }
        // A redelivered message is answered once: with the replies of its delivery, not run again. (The last one:
        // a /forget among the messages deletes the records of those before it, as their replies hold the profile.)
        const again = await chatTurn(
          { channel: "fuzz", user, text: texts[3] ?? "", messageId: `${user}-3` },
          chat,
        );
        expect(again).toEqual({ status: "duplicate", replies: lastReplies });
      }),
      { numRuns: 2_500, seed: 20240901 },
    );
    expect(messages).toBe(10_000);
  }, 180_000);
});
