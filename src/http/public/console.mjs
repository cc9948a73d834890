// The web console's entry: tabs (WAI-ARIA tabs pattern: arrow keys, Home, End) and each tab's module.
// https://www.w3.org/WAI/ARIA/apg/patterns/tabs/
import { initChat } from "./console-chat.mjs";
import { initCheck } from "./console-check.mjs";
import { initClauses } from "./console-clauses.mjs";
import { initDeadlines } from "./console-deadlines.mjs";
import { initHr } from "./console-hr.mjs";

const tabs = [...document.querySelectorAll('[role="tab"]')];
const TAB_KEY = "zc-tab";

/** Shows a tab's panel; `focus` moves the focus to the tab (keyboard navigation). */
export function selectTab(id, { focus = false } = {}) {
  const tab = tabs.find((t) => t.id === `tab-${id}`) ?? tabs[0];
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  sessionStorage.setItem(TAB_KEY, tab.id.slice("tab-".length));
  document.dispatchEvent(new CustomEvent("zc:tab", { detail: tab.id.slice("tab-".length) }));
}

for (const tab of tabs) {
  tab.addEventListener("click", () => selectTab(tab.id.slice("tab-".length)));
  tab.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(tab);
    const to =
      e.key === "ArrowRight"
        ? (i + 1) % tabs.length
        : e.key === "ArrowLeft"
          ? (i - 1 + tabs.length) % tabs.length
          : e.key === "Home"
            ? 0
            : e.key === "End"
              ? tabs.length - 1
              : -1;
    if (to < 0) return;
    e.preventDefault();
    selectTab(tabs[to].id.slice("tab-".length), { focus: true });
  });
}

// Other modules (a citation in the chat or the report) open a clause in the 条款查询 tab.
document.addEventListener("zc:open-clause", () => selectTab("clauses"));

initChat();
initClauses();
initCheck();
initDeadlines();
initHr();
selectTab(sessionStorage.getItem(TAB_KEY) ?? "chat");
