// Shared helpers of the web console: elements, JSON requests with Chinese errors, highlighting, copying.
// Text is always inserted with textContent: replies, clauses and server messages are never parsed as HTML.

export const $ = (id) => document.getElementById(id);

/** An element with a class and text. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

/** A button (type=button) with a click handler. */
export function button(text, onClick, cls = "") {
  const b = el("button", cls, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

export const UNREACHABLE = "无法连接服务器，请检查网络连接或稍后再试。";

/** A failed request: `message` is Chinese and ready to show; `status` 0 when the server was not reached. */
export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/**
 * A JSON request: resolves with `{status, data}` for 2xx (and for the statuses in `accept`), otherwise throws an
 * ApiError with the server's Chinese message, or {@link UNREACHABLE} when the server could not be reached.
 */
export async function api(path, { method = "GET", body, signal, accept = [] } = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      signal,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error && error.name === "AbortError") throw error;
    throw new ApiError(UNREACHABLE, 0);
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    // A proxy's HTML error page, or a connection cut mid-answer.
  }
  if (res.ok || accept.includes(res.status)) return { status: res.status, data, headers: res.headers };
  const message =
    data?.error?.message ??
    (res.status >= 500 ? "服务器暂时无法处理请求，请稍后再试。" : `请求失败（${res.status}）。`);
  throw new ApiError(message, res.status, data);
}

/** Runs `fn` once input has paused for `ms`. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** The query's terms for highlighting: its words, and for a run of Chinese not found whole, its two-character pieces. */
export function highlightTerms(query, text) {
  const words = query
    .replace(/[〔〕［］\[\]（）()、，,。.：:;；"“”'‘’《》]/gu, " ")
    .split(/\s+/u)
    .filter((w) => w.length > 0);
  const terms = new Set();
  for (const w of words) {
    if (w.length > 1 && text.includes(w)) terms.add(w);
    else if (w.length > 2 && /\p{Script=Han}/u.test(w))
      for (let i = 0; i + 2 <= w.length; i++) {
        const piece = w.slice(i, i + 2);
        if (/^\p{Script=Han}{2}$/u.test(piece) && text.includes(piece)) terms.add(piece);
      }
    // A lone character (三 of 三(四)) only when it is the whole query: elsewhere it would mark half the notice.
    else if (words.length === 1 && text.includes(w)) terms.add(w);
  }
  return [...terms].sort((a, b) => b.length - a.length);
}

/** Fills `node` with `text`, the query's terms wrapped in <mark>. */
export function renderHighlighted(node, text, query) {
  node.textContent = "";
  const terms = query ? highlightTerms(query, text) : [];
  if (terms.length === 0) {
    node.textContent = text;
    return;
  }
  const escaped = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const re = new RegExp(escaped.join("|"), "gu");
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) node.append(text.slice(last, m.index));
    node.append(el("mark", "", m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) node.append(text.slice(last));
}

/** `京人社事业发〔2020〕30号 附件 三、(四)：<text>`: what "复制引用" copies. */
export function citationLine(c) {
  const doc = c.docNumber || `《${c.title}》`;
  return `${doc} ${c.path}：${String(c.text)
    .replace(/\s*\n\s*/gu, " ")
    .trim()}`;
}

/** `京人社事业发〔2020〕30号 三、(一)`: a citation's short reference. */
export function citationRef(c) {
  return `${c.docNumber || `《${c.title}》`} ${c.path}`;
}

/** Copies text to the clipboard (falling back to a selected textarea) and says so in the live region. */
export async function copyText(text) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const area = el("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
  }
  $("copy-status").textContent = ok ? "已复制引用。" : "复制失败，请手动选中文字复制。";
  return ok;
}

/** A status line: plain, or an error. */
export function setStatus(node, text, isError = false) {
  node.textContent = text;
  node.classList.toggle("error", isError);
}

let vocabulary;
/** The contract's values and their Chinese names, and the server's today (GET /api/vocabulary), fetched once. */
export function loadVocabulary() {
  vocabulary ??= api("/api/vocabulary").then((r) => r.data);
  vocabulary.catch(() => {
    vocabulary = undefined;
  });
  return vocabulary;
}

/** Options for a <select>: [value, label] pairs. */
export function fillSelect(select, pairs) {
  for (const [value, label] of pairs) {
    const o = el("option", "", label);
    o.value = value;
    select.append(o);
  }
}
