// A policy question asked mid-conversation is answered for the region already recorded.
import { describe, expect, it } from "vitest";
import { realDeps } from "./support/real-deps.ts";
import { testChat } from "./support/test-chat.ts";

describe("policy questions in context", () => {
  it("answers an unplaced question from the conversation's region", async () => {
    const deps = realDeps();
    const beijing = testChat(deps, "bj");
    await beijing.says("北京，想评高工");
    await beijing.says("公示几天？");
    const bjCites = beijing.lastReplies().flatMap((r) => r.citations ?? []);
    expect(bjCites[0]?.docId).toBe("beijing-ai-title-2020");

    const bazhong = testChat(deps, "bz");
    await bazhong.says("巴中，想评工程师");
    await bazhong.says("公示几天？");
    const bzCites = bazhong.lastReplies().flatMap((r) => r.citations ?? []);
    expect(bzCites[0]?.docId).toBe("bazhong-digital-2024");
  });

  it("keeps a place the question names itself", async () => {
    const chat = testChat(realDeps(), "q");
    await chat.says("北京，想评高工");
    await chat.says("巴中职称评审费多少钱？");
    const cites = chat.lastReplies().flatMap((r) => r.citations ?? []);
    expect(cites[0]?.docId).toBe("bazhong-digital-2024");
  });
});
