// Adding a region is a data change: a copy of knowledge/ plus one entry in regions.json and a sixth notice with its
// rules and deadlines (test/fixtures/knowledge-added-region, a fictional city) loads, and the dialog, retrieval and
// the Chinese texts hold a conversation about it without a line of code knowing the region.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DialogDeps } from "../../src/dialogs/types.ts";
import { buildNotice, loadKnowledgeBase, regionsBeside } from "../../src/knowledge/knowledge-base.ts";
import { answerQuestion } from "../../src/retrieval/answer-question.ts";
import { lookupClauses } from "../../src/retrieval/lookup-clauses.ts";
import { DEFAULT_RETRIEVAL_DIR, loadRetrievalData } from "../../src/retrieval/retrieval-data.ts";
import { ClauseRetriever } from "../../src/retrieval/retriever.ts";
import { assess } from "../../src/rules/assess.ts";
import { listDeadlines } from "../../src/rules/deadlines.ts";
import { loadRules } from "../../src/rules/load-rules.ts";
import { fixedClock } from "../../src/shared/clock.ts";
import { KNOWLEDGE_DIR, PROJECT_ROOT } from "../support/paths.ts";
import { testChat } from "./support/test-chat.ts";

const FIXTURE = `${PROJECT_ROOT}test/fixtures/knowledge-added-region`;
let dir: string;
let deps: DialogDeps;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "zc-added-region-"));
  cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
  for (const sub of ["notices", "rules", "deadlines"])
    cpSync(join(FIXTURE, sub), join(dir, sub), { recursive: true });
  const regions = JSON.parse(readFileSync(join(dir, "regions.json"), "utf8")) as { regions: unknown[] };
  regions.regions.push(JSON.parse(readFileSync(join(FIXTURE, "region.json"), "utf8")));
  writeFileSync(join(dir, "regions.json"), JSON.stringify(regions));

  const kb = loadKnowledgeBase(join(dir, "notices"));
  const book = loadRules(join(dir, "rules"), kb);
  const retriever = ClauseRetriever.build(
    kb,
    loadRetrievalData(DEFAULT_RETRIEVAL_DIR, join(dir, "regions.json")),
  );
  deps = {
    assess: (profile, asOf) => assess(book, profile, asOf).report,
    ask: (question) => answerQuestion(question, { kb, retriever }),
    clauses: (query, limit) => lookupClauses(query, { kb, retriever }, limit),
    deadlines: (filter) =>
      listDeadlines(book.deadlines, filter).filter((d) => !filter.after || d.date >= filter.after),
    clock: fixedClock("2025-08-20T04:00:00Z"),
    ttlDays: 30,
    regions: regionsBeside(join(dir, "notices")),
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a region added as data", () => {
  it("loads six notices, the new region's rules and its deadlines", () => {
    const kb = loadKnowledgeBase(join(dir, "notices"));
    expect(kb.notices.size).toBe(6);
    const book = loadRules(join(dir, "rules"), kb);
    expect(book.ruleSets.some((r) => r.region === "xiangyun")).toBe(true);
    expect(listDeadlines(book.deadlines, { region: "xiangyun" }).map((d) => d.date)).toContain("2025-09-30");
  });

  it("refuses a notice, before it is written, for a region the regions file does not name", () => {
    const meta = JSON.parse(readFileSync(join(FIXTURE, "notices/xiangyun-ai-2025.json"), "utf8")) as object;
    expect(() => buildNotice("x.json", { ...meta, region: "mars" }, "正文")).toThrow(
      "x.json: region: 地区 mars 不在地区文件中",
    );
    expect(() => buildNotice("x.json", meta, "正文")).toThrow(/地区 xiangyun 不在地区文件中/);
    expect(buildNotice("x.json", meta, "正文", undefined, deps.regions).meta.region).toBe("xiangyun");
  });

  it("holds a conversation about it: place names, the region question, facts, verdict and deadlines", async () => {
    const chat = testChat(deps);
    await chat.says("/check");
    expect(chat.last()).toMatch(/北京、浙江、四川巴中、云岭祥云/);
    await chat.says("祥云高新区的，想评工程师");
    expect(chat.last()).toMatch(/已记录：地区 云岭祥云，申报 工程师/);
    await chat.says("本科，2019年7月毕业，毕业后一直做AI");
    await chat.says("民企");
    while (!/结论：/.test(chat.last()) && chat.turns() < 12) await chat.says("是的");
    expect(chat.last(), chat.transcript().join("\n")).toMatch(/结论：符合云岭祥云 工程师申报条件/);
    expect(chat.last()).toMatch(/2025-09-30 【申报人】个人网上申报截止/);
    expect(
      chat
        .lastReplies()
        .flatMap((r) => r.citations ?? [])
        .map((c) => c.docId),
    ).toContain("xiangyun-ai-2025");
  });

  it("asks which city for its wider province, and refuses the province's other cities", async () => {
    const chat = testChat(deps);
    await chat.says("云岭省的，想评工程师");
    expect(chat.last()).toMatch(/您在云岭哪个市？目前云岭我只有祥云的文件。/);
    await chat.says("彩云市");
    expect(chat.last()).toMatch(/彩云市的申报请以当地人社部门文件为准/);
    expect(chat.state()?.profile.region).toBeUndefined();
  });

  it("lists its deadlines and answers a policy question about it from its own notice", async () => {
    const chat = testChat(deps);
    await chat.says("祥云网上申报什么时候截止？");
    expect(chat.last()).toMatch(/2025-09-30 【申报人】个人网上申报截止/);
    await chat.says("祥云申报工程师需要什么学历？");
    expect(chat.lastReplies().flatMap((r) => r.citations ?? [])[0]?.docId).toBe("xiangyun-ai-2025");
    expect(chat.last()).toMatch(/大学本科学历/);
    expect(chat.last()).not.toMatch(/undefined|xiangyun(?!-ai)/);
  });
});
