// 条款查询: clause search as you type (debounced, terms highlighted, filtered by region / notice / year), the clause
// view (parent headings, children, neighbours, the whole notice as a tree) and "复制引用".
import {
  $,
  api,
  ApiError,
  button,
  citationLine,
  copyText,
  debounce,
  el,
  fillSelect,
  renderHighlighted,
  setStatus,
} from "./console-core.mjs";

/** Results asked of the server before the filters: the filters then rarely leave a short list. */
const FETCHED = 100;
const SHOWN = 20;

let notices = new Map();
let inFlight;
let lastQuery = "";

async function loadNotices() {
  const { data } = await api("/api/notices");
  notices = new Map(data.notices.map((n) => [n.docId, n]));
  fillSelect(
    $("filter-region"),
    data.regions.map((r) => [r.id, r.name]),
  );
  const years = [...new Set(data.notices.map((n) => n.year).filter((y) => y != null))].sort((a, b) => b - a);
  fillSelect(
    $("filter-year"),
    years.map((y) => [String(y), `${y}年`]),
  );
  refreshNoticeOptions();
}

const shorten = (text, max) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The notice filter lists only the notices of the chosen region and year. */
function refreshNoticeOptions() {
  const select = $("filter-notice");
  const keep = select.value;
  const region = $("filter-region").value;
  const year = $("filter-year").value;
  select.length = 1;
  const pairs = [...notices.values()]
    .filter((n) => (!region || n.region === region) && (!year || String(n.year) === year))
    .map((n) => [n.docId, n.docNumber ?? shorten(n.title, 22)]);
  fillSelect(select, pairs);
  select.value = pairs.some(([id]) => id === keep) ? keep : "";
}

function passesFilters(c) {
  const n = notices.get(c.docId);
  const region = $("filter-region").value;
  const notice = $("filter-notice").value;
  const year = $("filter-year").value;
  if (notice && c.docId !== notice) return false;
  if (region && n?.region !== region) return false;
  if (year && String(n?.year) !== year) return false;
  return true;
}

function docLine(c) {
  const n = notices.get(c.docId);
  const parts = [c.docNumber, c.title, n?.regionName, n?.year ? `${n.year}年` : null].filter(Boolean);
  return parts.join(" · ");
}

function renderResults(clauses, query) {
  const list = $("clause-results");
  list.textContent = "";
  for (const c of clauses) {
    const item = el("li", "result");
    item.dataset.clauseId = c.clauseId;
    const open = button(c.path, () => void openClause(c.clauseId, { focus: true }), "link open");
    open.setAttribute("aria-label", `查看条款 ${c.docNumber ?? c.title} ${c.path}`);
    item.append(el("div", "doc", docLine(c)), open);
    const text = el("div", "clause-text");
    renderHighlighted(text, c.text, query);
    item.append(text);
    const actions = el("div", "row-actions");
    const copy = button("复制引用", () => void copyText(citationLine(c)), "secondary copy");
    copy.dataset.citation = citationLine(c);
    actions.append(copy);
    item.append(actions);
    list.append(item);
  }
}

async function search() {
  const query = $("clause-q").value.trim();
  lastQuery = query;
  inFlight?.abort();
  const status = $("clause-status");
  if (!query) {
    $("clause-results").textContent = "";
    setStatus(status, "");
    return;
  }
  const controller = new AbortController();
  inFlight = controller;
  setStatus(status, "正在查询…");
  try {
    const { data } = await api(`/api/clauses?limit=${FETCHED}&q=${encodeURIComponent(query)}`, {
      signal: controller.signal,
    });
    if (controller !== inFlight) return;
    const shown = data.clauses.filter(passesFilters).slice(0, SHOWN);
    renderResults(shown, query);
    const filtered = data.clauses.length - data.clauses.filter(passesFilters).length;
    setStatus(
      status,
      shown.length === 0
        ? `没有找到与“${query}”相关的条款${filtered > 0 ? "（可放宽筛选条件）" : ""}。`
        : `找到 ${shown.length} 条相关条款${filtered > 0 ? `（另有 ${filtered} 条不符合筛选条件）` : ""}。`,
    );
  } catch (error) {
    if (error?.name === "AbortError") return;
    $("clause-results").textContent = "";
    setStatus(status, error instanceof ApiError ? error.message : "查询失败，请稍后再试。", true);
  }
}

function nodeButton(node, prefix = "") {
  return button(
    `${prefix}${node.path}　${node.label}`,
    () => void openClause(node.clauseId, { focus: true }),
    "link",
  );
}

/** Opens a clause in the clause view (its headings, words, children, neighbours). */
export async function openClause(clauseId, { focus = false } = {}) {
  const view = $("clause-view");
  for (const r of document.querySelectorAll(".result"))
    r.classList.toggle("current", r.dataset.clauseId === clauseId);
  let ctx;
  try {
    ({ data: ctx } = await api(`/api/clauses/${encodeURIComponent(clauseId)}`));
  } catch (error) {
    view.hidden = false;
    view.textContent = "";
    view.append(el("p", "error", error instanceof ApiError ? error.message : "无法打开条款。"));
    return;
  }
  view.hidden = false;
  view.textContent = "";
  view.dataset.clauseId = clauseId;
  const title = el("h2", "", `${ctx.notice.docNumber ?? `《${ctx.notice.title}》`} ${ctx.citation.path}`);
  title.id = "clause-view-title";
  title.tabIndex = -1;
  view.append(
    title,
    el("div", "doc", `${ctx.notice.title}${ctx.notice.issuer ? `（${ctx.notice.issuer}）` : ""}`),
  );
  if (ctx.ancestors.length) {
    const crumbs = el("ol", "crumbs");
    crumbs.setAttribute("aria-label", "上级标题");
    for (const a of ctx.ancestors) crumbs.appendChild(el("li")).append(nodeButton(a, "↑ "));
    view.append(crumbs);
  }
  const text = el("div", "clause-text");
  renderHighlighted(text, ctx.citation.text, lastQuery);
  view.append(text);
  const actions = el("div", "row-actions");
  const copy = button("复制引用", () => void copyText(ctx.citationText), "secondary copy");
  copy.dataset.citation = ctx.citationText;
  actions.append(
    copy,
    button("全文目录", () => void showTree(ctx.notice.docId, clauseId), "secondary tree-toggle"),
  );
  view.append(actions);
  if (ctx.children.length) {
    view.append(el("h3", "", "下级条款"));
    const list = el("ul", "crumbs");
    for (const c of ctx.children) list.appendChild(el("li")).append(nodeButton(c));
    view.append(list);
  }
  const nav = el("div", "neighbours");
  nav.append(ctx.previous ? nodeButton(ctx.previous, "← 上一条 ") : el("span"));
  nav.append(ctx.next ? nodeButton(ctx.next, "下一条 → ") : el("span"));
  view.append(nav);
  view.append(el("div", "tree-box"));
  if (focus) title.focus();
}

/** The whole notice as a clause tree, the open clause marked. */
async function showTree(docId, currentId) {
  const box = $("clause-view").querySelector(".tree-box");
  if (!box) return;
  if (box.childElementCount > 0) {
    box.textContent = "";
    return;
  }
  let outline;
  try {
    ({ data: outline } = await api(`/api/notices/${encodeURIComponent(docId)}`));
  } catch (error) {
    box.append(el("p", "error", error instanceof ApiError ? error.message : "无法读取通知全文。"));
    return;
  }
  box.append(el("h3", "", `全文目录（${outline.clauses.length} 条）`));
  const root = el("ul", "tree");
  root.setAttribute("aria-label", `${outline.notice.title} 全文`);
  const lists = new Map();
  for (const node of outline.clauses) {
    const item = el("li");
    const b = nodeButton(node);
    b.title = node.text;
    if (node.clauseId === currentId) b.setAttribute("aria-current", "true");
    item.append(b);
    const parentList = node.parentId ? lists.get(node.parentId) : undefined;
    (parentList ?? root).append(item);
    const children = el("ul");
    item.append(children);
    lists.set(node.clauseId, children);
  }
  for (const empty of root.querySelectorAll("ul:empty")) empty.remove();
  box.append(root);
  root.querySelector('[aria-current="true"]')?.scrollIntoView({ block: "nearest" });
}

export function initClauses() {
  const run = debounce(() => void search(), 200);
  $("clause-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void search();
  });
  $("clause-q").addEventListener("input", run);
  for (const id of ["filter-region", "filter-year"])
    $(id).addEventListener("change", () => {
      refreshNoticeOptions();
      void search();
    });
  $("filter-notice").addEventListener("change", () => void search());
  document.addEventListener("zc:open-clause", (e) => void openClause(e.detail, { focus: true }));
  loadNotices().catch((error) =>
    setStatus($("clause-status"), error instanceof ApiError ? error.message : "无法读取通知列表。", true),
  );
}
