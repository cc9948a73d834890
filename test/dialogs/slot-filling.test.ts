// The form's mechanics against a hand-written fake engine whose `missing` order the test controls.
import { describe, expect, it } from "vitest";
import { handleTurn } from "../../src/dialogs/handle-turn.ts";
import { migrateDialogState } from "../../src/dialogs/migrate-dialog-state.ts";
import { DIALOG_STATE_VERSION, initialDialogState } from "../../src/dialogs/types.ts";
import type { Profile } from "../../src/shared/profile.ts";
import { fakeAssess, fakeDeps } from "./support/fake-deps.ts";
import { testChat } from "./support/test-chat.ts";

describe("slot filling follows the engine's missing list", () => {
  it("asks region, level, then each field in the engine's order, and stops once decided", async () => {
    const assessed: Profile[] = [];
    const deps = fakeDeps({
      assess: (p, asOf) => {
        assessed.push(p);
        return fakeAssess(p, asOf);
      },
    });
    const chat = testChat(deps);
    await chat.says("/check");
    expect(chat.state()?.step).toEqual({ name: "asking", field: "region" });
    await chat.says("北京");
    expect(chat.state()?.step).toEqual({ name: "asking", field: "targetLevel" });
    expect(assessed).toHaveLength(0); // no engine call before region and level are known
    await chat.says("高级工程师");
    expect(chat.state()?.step).toEqual({ name: "asking", field: "education" });
    await chat.says("硕士");
    expect(chat.state()?.step).toEqual({ name: "asking", field: "graduated" });
    await chat.says("2010年7月");
    expect(chat.state()?.step).toEqual({ name: "asking", field: "specialtyWorkSince" });
    await chat.says("毕业后一直做");
    expect(chat.state()?.step).toEqual({ name: "asking", field: "employerType" });
    await chat.says("公务员"); // the fake makes this unmet: decided, nothing more is asked
    expect(chat.state()?.step).toEqual({ name: "decided" });
    // A civil servant is outside the notices for good: "不符合" and why, no "暂", no advice to prepare.
    expect(chat.last()).toMatch(/结论：不符合/);
    expect(chat.last()).toMatch(/原因：单位性质为“公务员”/);
    expect(chat.last()).not.toMatch(/暂不符合|下一步/);
    expect(chat.last()).toMatch(/✗ 测试条件employer（第2条）/);
  });

  it("skips a field answered 不知道 and gives an undetermined verdict when nothing askable is left", async () => {
    const chat = testChat(fakeDeps());
    await chat.says("北京高工，硕士，2010年7月毕业，一直做AI，民企");
    expect(chat.state()?.step).toEqual({ name: "asking", field: "awards" });
    await chat.says("不清楚");
    expect(chat.state()?.step).toEqual({ name: "asking", field: "achievements" });
    await chat.says("不知道");
    expect(chat.last()).toMatch(/结论：尚无法确定/);
    expect(chat.last()).toMatch(/弄清奖项与标准、代表性成果数量后告诉我|弄清.*后告诉我/);
    expect(chat.state()?.unknown).toEqual(["awards", "achievements"]);
  });

  it("stops asking when only an unheld document stands in the way", async () => {
    const chat = testChat(fakeDeps());
    await chat.says("浙江正高，博士，2010年7月毕业，一直做AI，国企，论文5篇，自评80分");
    expect(chat.last()).toMatch(/结论：尚无法确定/);
    expect(chat.last()).toMatch(/浙经信人事〔2023〕240号/);
  });

  it("shows the earliest eligible month when waiting alone would do", async () => {
    const chat = testChat(fakeDeps());
    await chat.says("北京高工，硕士，2021年7月毕业，一直做AI，民企，论文5篇");
    expect(chat.last()).toMatch(/结论：暂不符合/);
    expect(chat.last()).toMatch(/最早可申报：2026-07/);
  });

  it("asks the rank of an award named without one", async () => {
    const chat = testChat(fakeDeps());
    await chat.says("北京高工，硕士，2010年7月毕业，一直做AI，民企");
    await chat.says("参与过行业标准");
    expect(chat.last()).toMatch(/行业标准.*排名第几/);
    await chat.says("第二");
    expect(chat.state()?.profile.awards).toEqual([{ kind: "industry-standard", rank: 2 }]);
    expect(chat.last()).toMatch(/结论：符合/);
  });

  it("asks the date and series of a title named alone", async () => {
    const chat = testChat(
      fakeDeps({
        assess: (p, asOf) => ({
          ...fakeAssess(p, asOf),
          verdict: "undetermined",
          missing: ["currentTitle.obtained"],
        }),
      }),
    );
    await chat.says("四川巴中，高工");
    await chat.says("中级");
    expect(chat.last()).toMatch(/工程师是哪年哪月取得的/);
    await chat.says("2019年3月");
    expect(chat.last()).toMatch(/本系列（同专业）还是其他系列/);
    await chat.says("本系列");
    expect(chat.state()?.profile.currentTitle).toEqual({
      level: "engineer",
      obtained: "2019-03",
      series: "same",
    });
  });

  it("lets errors from the engine propagate, so the caller writes nothing back", async () => {
    const deps = fakeDeps({
      assess: () => {
        throw new Error("engine down");
      },
    });
    await expect(handleTurn(undefined, { channel: "t", user: "u", text: "北京高工" }, deps)).rejects.toThrow(
      "engine down",
    );
  });

  it("keeps the form when the Q&A fails", async () => {
    const chat = testChat(fakeDeps({ ask: () => Promise.reject(new Error("down")) }));
    await chat.says("北京");
    await chat.says("公示几天？");
    expect(chat.last()).toMatch(/出错/);
    expect(chat.last()).toMatch(/回到刚才的问题/);
    expect(chat.state()?.profile.region).toBe("beijing");
  });

  it("reads the same turn the same way (pure apart from deps)", async () => {
    const deps = fakeDeps();
    const a = await handleTurn(undefined, { channel: "t", user: "u", text: "北京，硕士，能评高工吗" }, deps);
    const b = await handleTurn(undefined, { channel: "t", user: "u", text: "北京，硕士，能评高工吗" }, deps);
    expect(a).toEqual(b);
  });
});

describe("migrateDialogState", () => {
  it("keeps a current state and starts over from an unknown or broken one", () => {
    const s = { ...initialDialogState(), profile: { region: "beijing" as const } };
    expect(migrateDialogState(DIALOG_STATE_VERSION, s)).toEqual(s);
    expect(migrateDialogState(0, s)).toEqual(initialDialogState());
    expect(migrateDialogState(DIALOG_STATE_VERSION, { nonsense: true })).toEqual(initialDialogState());
    expect(migrateDialogState(DIALOG_STATE_VERSION, null)).toEqual(initialDialogState());
  });
});
