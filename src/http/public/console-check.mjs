// 资格自测: every profile field (the contract's values, Chinese labels) → POST /api/check → the report with
// ✓ / ✗ / ? badges, citations opening the clause view, the earliest month, the rounds and the deadlines; printable.
import {
  $,
  api,
  ApiError,
  button,
  citationRef,
  el,
  fillSelect,
  loadVocabulary,
  setStatus,
} from "./console-core.mjs";

/** The empty first choice of a required select: nothing is assumed until the user picks. */
const CHOOSE = "请选择";
const VERDICTS = { eligible: "符合申报条件", ineligible: "暂不符合申报条件", undetermined: "尚无法确定" };
const BADGES = { met: ["✓", "满足"], unmet: ["✗", "不满足"], unknown: ["?", "待确认"] };
const ROUND_STATUS = { upcoming: "未开始", open: "进行中", closed: "已结束" };
const UNKNOWN = "不清楚";
const TRI = [
  ["", UNKNOWN],
  ["true", "是"],
  ["false", "否"],
];

let labels = {};

function field(id, labelText, control, { required = false, hint } = {}) {
  const box = el("div", `field${required ? " required" : ""}`);
  const label = el("label", "", labelText);
  label.htmlFor = id;
  control.id = id;
  control.name = id;
  if (required) control.required = true;
  box.append(label, control);
  if (hint) {
    const h = el("small", "hint", hint);
    h.id = `${id}-hint`;
    control.setAttribute("aria-describedby", h.id);
    box.append(h);
  }
  return box;
}

/**
 * A select over `pairs`, led by an empty choice labelled `empty` (unknown, or "请选择" for a required field);
 * `null`: no empty choice.
 */
function select(pairs, empty = UNKNOWN) {
  const s = el("select");
  fillSelect(s, [...(empty === null ? [] : [["", empty]]), ...pairs]);
  return s;
}

function input(type, attrs = {}) {
  const i = el("input");
  i.type = type;
  for (const [k, v] of Object.entries(attrs)) i.setAttribute(k, v);
  return i;
}

function awardRow(kinds) {
  const row = el("div", "award-row");
  const n = document.querySelectorAll(".award-row").length + 1;
  const kind = select(Object.entries(kinds), null);
  kind.setAttribute("aria-label", `奖项或标准 ${n}`);
  kind.className = "award-kind";
  const rank = input("number", { min: "1", step: "1", value: "1", "aria-label": `奖项或标准 ${n} 的排名` });
  rank.className = "award-rank";
  row.append(
    kind,
    rank,
    button("删除", () => row.remove(), "secondary"),
  );
  return row;
}

function buildForm(v) {
  labels = v.fields;
  const f = v.fields;
  const box = $("check-fields");
  box.textContent = "";
  box.append(
    field(
      "p-region",
      f.region,
      select(
        v.regions.map((r) => [r.id, r.name]),
        CHOOSE,
      ),
      { required: true },
    ),
    field("p-targetLevel", f.targetLevel, select(Object.entries(v.levels), CHOOSE), { required: true }),
    field("p-education", f.education, select(Object.entries(v.educations))),
    field("p-graduated", f.graduated, input("month", { placeholder: "YYYY-MM" })),
    field("p-specialtyWorkSince", f.specialtyWorkSince, input("month", { placeholder: "YYYY-MM" })),
    field(
      "p-currentTitle-level",
      `${f.currentTitle}级别`,
      select([["none", "无职称"], ...Object.entries(v.levels)]),
    ),
    field(
      "p-currentTitle-series",
      `${f.currentTitle}系列`,
      select([
        ["same", "本系列（工程技术）"],
        ["other", "其他系列"],
      ]),
    ),
    field("p-currentTitle-obtained", `${f.currentTitle}取得时间`, input("month", { placeholder: "YYYY-MM" })),
    field("p-employerType", f.employerType, select(Object.entries(v.employers))),
    field("p-achievements", f.achievements, input("number", { min: "0", step: "1", inputmode: "numeric" }), {
      hint: "取得现职称以来的论文、专利、报告、标准、著作等",
    }),
    field("p-performanceMet", f.performanceMet, select(TRI.slice(1))),
    field("p-selfScore", f.selfScore, input("number", { min: "0", max: "1000", step: "any" }), {
      hint: "浙江量化评价标准",
    }),
    field("p-continuingEducationMet", f.continuingEducationMet, select(TRI.slice(1))),
    field("p-otherApplicationThisYear", f.otherApplicationThisYear, select(TRI.slice(1))),
    field("p-firstApplication", f.firstApplication, select(TRI.slice(1))),
    field("p-asOf", "评估日期", input("date"), { hint: "不填为今天" }),
  );
  const awards = el("fieldset", "field awards");
  awards.append(el("legend", "", f.awards));
  const mode = select([
    ["none", "没有"],
    ["some", "有（请逐项填写）"],
  ]);
  mode.id = "p-awards";
  mode.setAttribute("aria-label", f.awards);
  const rows = el("div", "award-rows");
  const add = button("添加一项", () => rows.append(awardRow(v.awards)), "secondary");
  add.hidden = true;
  mode.addEventListener("change", () => {
    add.hidden = mode.value !== "some";
    if (mode.value === "some" && rows.childElementCount === 0) rows.append(awardRow(v.awards));
    if (mode.value !== "some") rows.textContent = "";
  });
  awards.append(mode, rows, add);
  box.append(awards);
}

/** The profile from the form: an empty field is unknown and left out (not false, zero or an empty list). */
function readProfile() {
  const val = (id) => $(id).value.trim();
  const p = { region: val("p-region"), targetLevel: val("p-targetLevel") };
  for (const k of ["education", "graduated", "specialtyWorkSince", "employerType", "asOf"])
    if (val(`p-${k}`)) p[k] = val(`p-${k}`);
  for (const k of [
    "performanceMet",
    "continuingEducationMet",
    "otherApplicationThisYear",
    "firstApplication",
  ])
    if (val(`p-${k}`)) p[k] = val(`p-${k}`) === "true";
  if (val("p-achievements")) p.achievements = Number(val("p-achievements"));
  if (val("p-selfScore")) p.selfScore = Number(val("p-selfScore"));
  const level = val("p-currentTitle-level");
  if (level) {
    p.currentTitle = { level };
    if (level !== "none" && val("p-currentTitle-series"))
      p.currentTitle.series = val("p-currentTitle-series");
    if (level !== "none" && val("p-currentTitle-obtained"))
      p.currentTitle.obtained = val("p-currentTitle-obtained");
  }
  const awards = val("p-awards");
  if (awards === "none") p.awards = [];
  if (awards === "some")
    p.awards = [...document.querySelectorAll(".award-row")].map((row) => ({
      kind: row.querySelector(".award-kind").value,
      rank: Number(row.querySelector(".award-rank").value),
    }));
  return p;
}

/** What was entered, as the form shows it (label: chosen option), for the printed page. */
function enteredFacts() {
  const s = section("填写的信息");
  const list = el("ul", "facts");
  for (const control of document.querySelectorAll("#check-fields select, #check-fields input")) {
    if (!control.value || control.closest(".award-row")) continue;
    const label = control.labels?.[0]?.textContent ?? control.getAttribute("aria-label") ?? control.name;
    const value = control.tagName === "SELECT" ? control.selectedOptions[0]?.textContent : control.value;
    list.append(el("li", "", `${label}：${value}`));
  }
  for (const row of document.querySelectorAll(".award-row"))
    list.append(
      el(
        "li",
        "",
        `${row.querySelector(".award-kind").selectedOptions[0]?.textContent}：排名第 ${row.querySelector(".award-rank").value}`,
      ),
    );
  s.append(list);
  return s;
}

function citeButton(c) {
  return button(
    citationRef(c),
    () => document.dispatchEvent(new CustomEvent("zc:open-clause", { detail: c.clauseId })),
    "link cite",
  );
}

function section(title) {
  const s = el("section");
  s.append(el("h2", "", title));
  return s;
}

function renderReport(r, profile) {
  const out = $("check-report");
  out.textContent = "";
  const head = el("section");
  head.append(el("h2", "print-only", "职称助手 · 资格自测结果"));
  const v = el("p", `verdict ${r.verdict}`, `结论：${VERDICTS[r.verdict] ?? r.verdict}`);
  head.append(v);
  if (r.earliestEligible) head.append(el("p", "", `最早可申报：${r.earliestEligible}`));
  if (r.missing.length)
    head.append(el("p", "", `还需要的信息：${r.missing.map((m) => labels[m] ?? m).join("、")}`));
  if (r.sourcesNotHeld.length)
    head.append(el("p", "", `另需对照未收录的文件：${r.sourcesNotHeld.join("、")}`));
  head.append(el("p", "hint", `评估日期：${profile.asOf ?? "今天"}`));
  out.append(head, enteredFacts());

  const crit = section("逐项条件");
  const list = el("ul", "criteria");
  for (const c of r.criteria) {
    const [mark, word] = BADGES[c.status] ?? ["?", c.status];
    const li = el("li", c.status);
    const badge = el("span", `badge ${c.status}`, mark);
    badge.setAttribute("role", "img");
    badge.setAttribute("aria-label", word);
    const body = el("div");
    body.append(el("div", "", c.description), citeButton(c.citation));
    li.append(badge, body);
    list.append(li);
  }
  crit.append(list);
  out.append(crit);

  if (r.rounds.length) {
    const s = section("申报轮次");
    const ul = el("ul");
    const names = new Map(
      r.deadlines.map((d) => [d.docId, d.citation.docNumber ?? `《${d.citation.title}》`]),
    );
    for (const round of r.rounds)
      ul.append(
        el(
          "li",
          "",
          `${names.get(round.docId) ?? round.docId}：${ROUND_STATUS[round.status] ?? round.status}（最后一步 ${round.lastStep}）`,
        ),
      );
    s.append(ul);
    out.append(s);
  }

  const dl = section("时间节点");
  if (r.deadlines.length === 0) dl.append(el("p", "hint", "评估日期之后没有时间节点。"));
  else {
    const table = el("table");
    const thead = el("thead");
    const hr = el("tr");
    for (const h of ["日期", "事项", "出处"]) hr.append(el("th", "", h));
    thead.append(hr);
    const tbody = el("tbody");
    for (const d of r.deadlines) {
      const tr = el("tr");
      tr.append(
        el("td", "when", `${d.date}${d.time ? ` ${d.time}` : ""}`),
        el("td", "", `${d.who ? `【${d.who}】` : ""}${d.what}`),
      );
      const td = el("td", "cite-cell");
      td.append(citeButton(d.citation));
      tr.append(td);
      tbody.append(tr);
    }
    table.append(thead, tbody);
    dl.append(table);
  }
  out.append(dl);

  if (r.assumptions.length) {
    const s = section("默认满足的条件");
    const ul = el("ul");
    for (const a of r.assumptions) {
      const li = el("li", "", `${a.description} `);
      li.append(citeButton(a.citation));
      ul.append(li);
    }
    s.append(ul);
    out.append(s);
  }
}

async function submit(e) {
  e.preventDefault();
  const status = $("check-status");
  const profile = readProfile();
  const submitButton = $("check-submit");
  submitButton.disabled = true;
  setStatus(status, "正在评估…");
  try {
    const { data } = await api("/api/check", { method: "POST", body: profile });
    renderReport(data, profile);
    setStatus(status, "评估完成。");
    $("check-print").disabled = false;
    $("check-report").focus();
  } catch (error) {
    setStatus(status, error instanceof ApiError ? error.message : "评估失败，请稍后再试。", true);
  } finally {
    submitButton.disabled = false;
  }
}

export function initCheck() {
  $("check-form").addEventListener("submit", (e) => void submit(e));
  $("check-print").addEventListener("click", () => window.print());
  loadVocabulary().then(buildForm, (error) =>
    setStatus($("check-status"), error instanceof ApiError ? error.message : "无法读取表单选项。", true),
  );
}
