// 申报时间: the deadlines of a region and level (steps before the chosen day marked as past) and the iCalendar file.
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

let vocabulary;

function query() {
  const params = new URLSearchParams();
  if ($("deadline-region").value) params.set("region", $("deadline-region").value);
  if ($("deadline-level").value) params.set("level", $("deadline-level").value);
  return params;
}

async function refresh() {
  const params = query();
  const ics = new URLSearchParams(params);
  ics.set("format", "ics");
  $("deadline-ics").href = `/api/deadlines?${ics}`;
  const status = $("deadline-status");
  const list = $("deadline-list");
  setStatus(status, "正在读取…");
  let deadlines;
  try {
    ({
      data: { deadlines },
    } = await api(`/api/deadlines?${params}`));
  } catch (error) {
    list.textContent = "";
    setStatus(status, error instanceof ApiError ? error.message : "读取失败，请稍后再试。", true);
    return;
  }
  const today = $("deadline-today").value || vocabulary.today;
  list.textContent = "";
  const byDoc = new Map();
  for (const d of deadlines) byDoc.set(d.docId, [...(byDoc.get(d.docId) ?? []), d]);
  let past = 0;
  for (const [, steps] of byDoc) {
    const c = steps[0].citation;
    const group = el("section", "deadline-group");
    const levels = [...new Set(steps.flatMap((s) => s.levels))]
      .map((l) => vocabulary.levels[l] ?? l)
      .join("、");
    const allPast = steps.every((s) => s.date < today);
    const h = el("h2", "", `${c.docNumber ?? `《${c.title}》`}（${levels}）`);
    h.append(el("span", `tag ${allPast ? "closed" : "open"}`, allPast ? "已结束" : "未结束"));
    group.append(h, el("div", "hint", c.title));
    const table = el("table");
    const head = el("tr");
    for (const t of ["日期", "事项", "出处"]) head.append(el("th", "", t));
    table.appendChild(el("thead")).append(head);
    const body = el("tbody");
    for (const s of [...steps].sort((a, b) =>
      (a.date + (a.time ?? "")).localeCompare(b.date + (b.time ?? "")),
    )) {
      const isPast = s.date < today;
      if (isPast) past++;
      const tr = el("tr", isPast ? "past" : "");
      const when = el("td", "when", `${s.date}${s.time ? ` ${s.time}` : ""}`);
      if (isPast) when.append(el("span", "tag", "已过"));
      tr.append(when, el("td", "", `${s.who ? `【${s.who}】` : ""}${s.what}`));
      const cite = el("td", "cite-cell");
      cite.append(
        button(
          citationRef(s.citation),
          () => document.dispatchEvent(new CustomEvent("zc:open-clause", { detail: s.citation.clauseId })),
          "link",
        ),
      );
      tr.append(cite);
      body.append(tr);
    }
    table.append(body);
    group.append(table);
    list.append(group);
  }
  setStatus(
    status,
    deadlines.length === 0
      ? "所选地区和级别的通知中没有时间节点。"
      : `共 ${deadlines.length} 个时间节点，其中 ${past} 个已过（以 ${today} 为准）。`,
  );
}

export function initDeadlines() {
  loadVocabulary().then(
    (v) => {
      vocabulary = v;
      fillSelect(
        $("deadline-region"),
        v.regions.map((r) => [r.id, r.name]),
      );
      fillSelect($("deadline-level"), Object.entries(v.levels));
      $("deadline-today").value = v.today;
      for (const id of ["deadline-region", "deadline-level", "deadline-today"])
        $(id).addEventListener("change", () => void refresh());
      document.addEventListener("zc:tab", (e) => {
        if (e.detail === "deadlines") void refresh();
      });
      if (!$("panel-deadlines").hidden) void refresh();
    },
    (error) =>
      setStatus(
        $("deadline-status"),
        error instanceof ApiError ? error.message : "无法读取地区和级别。",
        true,
      ),
  );
  $("deadline-form").addEventListener("submit", (e) => e.preventDefault());
}
