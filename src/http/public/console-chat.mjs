// 咨询对话: the chat, its transcript kept in sessionStorage (restored after a reload), a typing indicator, send
// disabled while waiting, choices disabled once answered, and Chinese errors for 202/429/503 and a lost server.
import { $, api, ApiError, button, citationRef, el } from "./console-core.mjs";

const USER_KEY = "zc-user";
const TRANSCRIPT_KEY = "zc-transcript";
const WELCOME =
  "您好，我是职称助手。可以问我能否申报某一级职称（如“我能评高级工程师吗？”），也可以问政策问题（如“巴中网上申报什么时候截止？”）。输入 /help 查看全部功能。";
const MAX_KEPT = 200;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const newId = () =>
  crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(36).slice(2);

// `user` counts only on a local server (loopback, no API keys); elsewhere the session cookie decides.
const user = localStorage.getItem(USER_KEY) || `web-${newId()}`;
localStorage.setItem(USER_KEY, user);

/** @type {Array<{who: "me"|"bot"|"error", text: string, citations?: object[], choices?: string[]}>} */
let transcript = [];
let waiting = false;

function save() {
  try {
    sessionStorage.setItem(TRANSCRIPT_KEY, JSON.stringify(transcript.slice(-MAX_KEPT)));
  } catch {
    // Storage full or disabled: the conversation still works, it is only not restored.
  }
}

/** Choices are live only on the last message, and only while no message is on its way. */
function refreshChoices() {
  const rows = [...$("log").querySelectorAll(".msg")];
  rows.forEach((row, i) => {
    for (const b of row.querySelectorAll(".choices button")) b.disabled = waiting || i !== rows.length - 1;
  });
}

function render(entry) {
  const row = el("div", `msg ${entry.who === "me" ? "me" : entry.who === "error" ? "error" : "bot"}`);
  const bubble = el("div", "bubble", entry.text);
  row.append(el("span", "sr-only", entry.who === "me" ? "我：" : "助手："), bubble);
  if (entry.citations?.length) {
    const cites = el("div", "cites", "出处：");
    for (const c of entry.citations)
      cites.append(
        button(
          citationRef(c),
          () => document.dispatchEvent(new CustomEvent("zc:open-clause", { detail: c.clauseId })),
          "link",
        ),
      );
    row.append(cites);
  }
  if (entry.choices?.length) {
    const box = el("div", "choices");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "可选回答");
    for (const c of entry.choices) box.append(button(c, () => void say(c)));
    row.append(box);
  }
  $("log").append(row);
  $("log").scrollTop = $("log").scrollHeight;
}

function show(entry) {
  transcript.push(entry);
  save();
  render(entry);
  refreshChoices();
}

function setWaiting(on) {
  waiting = on;
  $("chat-send").disabled = on;
  $("typing").hidden = !on;
  $("log").setAttribute("aria-busy", String(on));
  refreshChoices();
}

/**
 * Sends one message. 200: the replies; 202: the first delivery of this id is still running, so the same id is
 * sent again shortly (the server answers a repeat with that delivery's replies); 429/503: the polite text is in
 * `replies` and nothing was recorded, so resending is safe; no answer at all: a Chinese error.
 */
async function say(text) {
  if (!text.trim() || waiting) return;
  show({ who: "me", text });
  setWaiting(true);
  const messageId = newId();
  try {
    for (let attempt = 0; ; attempt++) {
      const { status, data, headers } = await api("/api/chat", {
        method: "POST",
        body: { user, text, messageId },
        accept: [202, 429, 503],
      });
      if (status === 202 && attempt < 5) {
        await sleep(800 * (attempt + 1));
        continue;
      }
      if (status === 202) {
        show({ who: "error", text: "上一条消息仍在处理中，请稍后再发一次。" });
        return;
      }
      if (status === 429 || status === 503) {
        const wait = headers.get("retry-after");
        const polite = data?.replies?.map((r) => r.text).join("\n") || data?.error?.message || "服务繁忙。";
        show({ who: "error", text: wait ? `${polite}（约 ${wait} 秒后可重试）` : polite });
        return;
      }
      for (const r of data?.replies ?? [])
        show({ who: "bot", text: r.text, citations: r.citations, choices: r.choices });
      return;
    }
  } catch (error) {
    show({ who: "error", text: error instanceof ApiError ? error.message : "发送失败，请稍后再试。" });
  } finally {
    setWaiting(false);
    $("chat-text").focus();
  }
}

export function initChat() {
  try {
    transcript = JSON.parse(sessionStorage.getItem(TRANSCRIPT_KEY) ?? "[]");
  } catch {
    transcript = [];
  }
  if (!Array.isArray(transcript) || transcript.length === 0) transcript = [{ who: "bot", text: WELCOME }];
  for (const entry of transcript) render(entry);
  refreshChoices();
  $("chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("chat-text").value;
    if (!text.trim() || waiting) return;
    $("chat-text").value = "";
    void say(text);
  });
  $("chat-clear").addEventListener("click", () => {
    transcript = [];
    $("log").textContent = "";
    show({ who: "bot", text: WELCOME });
    $("chat-text").focus();
  });
}
