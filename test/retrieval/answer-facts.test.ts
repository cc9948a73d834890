// Answers that state the fact: the answer sentence holds what the question asks for (a date, a place, a phone
// number, a count, an amount), not just words of the right clause.
import { describe, expect, it } from "vitest";
import { answerExtractive } from "../../src/retrieval/answer-question.ts";
import { fold, kb, readQuestions, retriever } from "./fixture.ts";

// The sets the recall test asserts on; heldout3/4 stay a yardstick measured by the bench only.
const questions = [
  ...readQuestions("questions.dev.jsonl"),
  ...readQuestions("questions.more.jsonl"),
  ...readQuestions("questions.heldout.jsonl"),
  ...readQuestions("questions.heldout2.jsonl"),
];
const ask = (q: string) => answerExtractive(q, { kb, retriever });

describe("answers that state the asked fact", () => {
  it("labels only answerable questions, each with a fact its notices state", () => {
    const labelled = questions.filter((q) => q.fact !== undefined);
    expect(labelled.length).toBeGreaterThanOrEqual(130);
    for (const q of labelled) {
      expect(q.answerable, q.id).toBe(true);
      const re = new RegExp(q.fact ?? "", "u");
      const stated = [...kb.notices.values()]
        .filter((n) => q.docs.includes(n.meta.docId))
        .some((n) => n.clauses.some((c) => re.test(fold(c.text))));
      expect(stated, `${q.id}: /${q.fact}/ is in no clause of ${q.docs.join(", ")}`).toBe(true);
    }
  });

  it("states it in at least 95% of the labelled questions", () => {
    const missed: string[] = [];
    let labelled = 0;
    for (const q of questions) {
      if (q.fact === undefined) continue;
      labelled++;
      const r = ask(q.q);
      if (!r.grounded || !new RegExp(q.fact, "u").test(fold(r.answer)))
        missed.push(`${q.id} ${q.q} /${q.fact}/ -> ${r.answer.slice(0, 80)}`);
    }
    expect((labelled - missed.length) / labelled, missed.join("\n")).toBeGreaterThanOrEqual(0.95);
  });

  it("answers a deadline question with the deadline, not the qualification cut-off", () => {
    const r = ask("浙江高工申报什么时候截止");
    expect(r.answer).toContain("2024年9月6日");
    expect(r.answer).not.toContain("资历计算");
    // Asked about the cut-off itself, the cut-off is the answer.
    expect(ask("浙江高工资历计算到什么时候").answer).toContain("2024年12月31日");
    expect(ask("巴中个人初次提交截止到什么时候").answer).toContain("2024年9月20日24:00");
  });

  it("answers a contact question with the phone number, even from a clause sharing no other word", () => {
    expect(ask("浙江正高评审咨询电话").answer).toMatch(/0571-86070951|0571-88228292/u);
    // The sentence with the number, not the 抄送/印发 line that also has numerals.
    expect(ask("之江实验室管职称的联系电话多少").answer).toContain("0571-56393352");
  });

  it("quotes the direct-to-engineer route to the end of its sentence, with its caveat", () => {
    const r = ask("巴中民企本科毕业5年能直接评工程师吗");
    expect(r.answer).toContain("满5年");
    expect(r.answer).toContain("首次申报可不受层级限制，直接申报评审工程师职称");
  });

  it("gives each of two kinds asked at once, in the clause's order", () => {
    const r = ask("之江实验室职称办电话多少，办公室在哪个园区");
    expect(r.answer).toContain("0571-56393352");
    expect(r.answer).toContain("新园区主楼1525室");
  });

  it("answers 几年 with a number of years, not with 同一年度", () => {
    expect(ask("巴中评职称弄虚作假被查出来几年不能再报").answer).toContain("3年内不得申报");
  });

  it("answers from the notice a question names by number, not from clauses citing other 〔2020〕 numbers", () => {
    const r = ask("京人社事业发〔２０２０〕３０号从哪天起施行");
    expect(r.answer).toContain("2020年11月10日");
    expect(ask("之江室发〔2024〕7号抄送了哪些部门").citations[0]?.docId).toBe("zhejiang-ai-senior-2024");
    // 什么时候发布的: the notice's own date line, though it shares no word with the question.
    expect(ask("京人社事业发〔2020〕30号是什么时候发布的").answer).toContain("2020年11月4日");
  });

  it("answers who interprets with the interpreter, not the committee's organiser", () => {
    expect(ask("北京人工智能评价办法由谁负责解释").answer).toContain("由市人力资源社会保障局负责解释");
  });
});
