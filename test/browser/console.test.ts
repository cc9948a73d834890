// The web console in a real browser (Debian's chromium driven by playwright-core) against a real server: every tab,
// the keyboard path, copying a citation, the report, deadlines, chat across a reload, HR sheets in and out, errors,
// and 375 px wide.
// Screenshots go to test-artifacts/console/ (git-ignored).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HR_TEXT } from "../../src/i18n/hr-messages.ts";
import { startServer, type TestServer } from "../http/support/http-harness.ts";

/**
 * The little of the DOM the page functions below use. They run in the browser (playwright serialises them); the
 * project's TypeScript has no DOM library, so these module-local declarations type them without adding it.
 */
interface PageElement {
  id: string;
  tagName: string;
  className: string;
  textContent: string | null;
  labels?: { length: number } | null;
  parentElement: PageElement | null;
  classList: { contains: (name: string) => boolean };
  getAttribute: (name: string) => string | null;
  querySelector: (selector: string) => PageElement | null;
  closest: (selector: string) => PageElement | null;
  getBoundingClientRect: () => { right: number };
}
declare const document: {
  activeElement: PageElement | null;
  documentElement: { clientWidth: number; scrollWidth: number };
  getElementById: (id: string) => PageElement | null;
  querySelector: (selector: string) => PageElement | null;
  querySelectorAll: (selector: string) => Iterable<PageElement> & { length: number };
};
declare const localStorage: { setItem: (key: string, value: string) => void };
declare const navigator: { clipboard: { readText: () => Promise<string> } };
declare function getComputedStyle(element: PageElement | null): { backgroundColor: string };

const CHROMIUM = "/usr/bin/chromium";
const INSTALL = "apt-get update && apt-get install -y chromium fonts-wqy-microhei";
const MISSING = `${CHROMIUM} is missing; install it with: ${INSTALL}`;
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/console/", import.meta.url));

let t: TestServer;
let browser: Browser | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  // Never a silent skip: without the browser every test below fails, saying how to install it.
  if (!existsSync(CHROMIUM)) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  t = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A fresh browser profile (empty storage) on the console, with clipboard access. */
async function openConsole(width = 1200, height = 900, server?: string): Promise<Page> {
  if (!browser) throw new Error(MISSING);
  const base = server ?? t.base;
  context = await browser.newContext({ viewport: { width, height }, locale: "zh-CN" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.text().includes("Failed to load resource")) errors.push(msg.text());
  });
  await page.goto(`${base}/`);
  await page.waitForSelector("#log .msg");
  (page as Page & { scriptErrors: string[] }).scriptErrors = errors;
  return page;
}

const scriptErrors = (page: Page): string[] => (page as Page & { scriptErrors: string[] }).scriptErrors;
const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage });
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

it("runs in Debian's chromium", () => {
  expect(existsSync(CHROMIUM), MISSING).toBe(true);
});

describe("tabs", () => {
  it("are a tablist whose tabs control labelled tabpanels, moved through with arrows, Home and End", async () => {
    const page = await openConsole();
    const tabs = page.locator('[role="tab"]');
    expect(await tabs.count()).toBe(5);
    for (const tab of await tabs.all()) {
      const panel = page.locator(`#${await tab.getAttribute("aria-controls")}`);
      expect(await panel.getAttribute("role")).toBe("tabpanel");
      expect(await panel.getAttribute("aria-labelledby")).toBe(await tab.getAttribute("id"));
    }
    await page.focus("#tab-chat");
    await page.keyboard.press("ArrowRight");
    expect(await focusedId(page)).toBe("tab-clauses");
    expect(await page.getAttribute("#tab-clauses", "aria-selected")).toBe("true");
    expect(await page.isVisible("#panel-clauses")).toBe(true);
    expect(await page.isHidden("#panel-chat")).toBe(true);
    // One tab stop: the selected tab only.
    expect(await page.getAttribute("#tab-chat", "tabindex")).toBe("-1");
    await page.keyboard.press("End");
    expect(await focusedId(page)).toBe("tab-hr");
    expect(await page.isVisible("#hr-slot")).toBe(true);
    await page.keyboard.press("ArrowRight");
    expect(await focusedId(page)).toBe("tab-chat");
    await page.keyboard.press("ArrowLeft");
    expect(await focusedId(page)).toBe("tab-hr");
    await page.keyboard.press("Home");
    expect(await focusedId(page)).toBe("tab-chat");
    expect(await page.isVisible("#panel-chat")).toBe(true);
    // Every form control has a label.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input, select")]
        .filter((e) => !e.labels?.length && !e.getAttribute("aria-label"))
        .map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
    expect(scriptErrors(page)).toEqual([]);
  });
});

describe("条款查询", () => {
  it("searches as one types, highlights the terms, names notice and path, filters, opens and copies a clause", async () => {
    const page = await openConsole();
    await page.focus("#tab-chat");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Tab");
    expect(await focusedId(page)).toBe("panel-clauses");
    await page.keyboard.press("Tab");
    expect(await focusedId(page)).toBe("clause-q");
    await page.keyboard.type("破格", { delay: 30 });
    await page.waitForSelector(".result");
    const first = page.locator(".result").first();
    expect(await first.locator(".doc").textContent()).toMatch(/京人社事业发〔2020〕30号 · 关于印发/);
    expect(await first.locator(".open").textContent()).toMatch(/^附件 三、\(四\)/);
    expect(await first.locator("mark").first().textContent()).toBe("破格");
    // Paths and titles, never internal ids.
    expect(await page.locator("#clause-results").textContent()).not.toMatch(
      /beijing-ai-title-2020:|zhejiang-/,
    );
    await shot(page, "clauses-search", false);

    // Filters: a query every region's notices answer.
    await page.fill("#clause-q", "申报条件");
    await page.waitForFunction(() => document.querySelector(".result mark")?.textContent === "申报条件");
    await page.selectOption("#filter-region", "zhejiang");
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".result .doc")].every((d) => d.textContent?.includes("浙江")),
    );
    expect(await page.locator(".result").count()).toBeGreaterThan(0);
    const noticeOptions = await page.locator("#filter-notice option").allTextContents();
    expect(noticeOptions.some((o) => o.includes("京人社"))).toBe(false);
    await page.selectOption("#filter-year", "2023");
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".result .doc")].every((d) => d.textContent?.includes("2023年")),
    );
    await page.selectOption("#filter-region", "");
    await page.selectOption("#filter-year", "");

    // A clause reference, then the keyboard to the first result and into the clause view.
    await page.fill("#clause-q", "");
    await page.focus("#clause-q");
    await page.keyboard.type("京人社事业发〔2020〕30号 附件 三(四)");
    await page.waitForFunction(
      () => document.querySelector(".result .open")?.textContent?.startsWith("附件 三、(四)") === true,
    );
    for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("open"))).toBe(true);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "clause-view-title");
    const view = page.locator("#clause-view");
    expect(await view.locator("h2").textContent()).toBe("京人社事业发〔2020〕30号 附件 三、(四)");
    expect(await view.locator(".crumbs").first().textContent()).toMatch(/附件 三、/);
    expect(await view.locator(".neighbours").textContent()).toMatch(/下一条 → 附件 三、\(四\)1\./);

    await view.locator("button.copy").focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("copy-status")?.textContent === "已复制引用。");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(
      /^京人社事业发〔2020〕30号 附件 三、\(四\)：\(四\)具备下列条件之一,可不受学历和专业工作经历限制,破格申报高级工程师:/,
    );

    await view.locator("button.tree-toggle").click();
    await page.waitForSelector('.tree [aria-current="true"]');
    expect(await page.locator('.tree [aria-current="true"]').textContent()).toMatch(/^附件 三、\(四\)/);
    // The tree nests: (四)'s items sit under it.
    expect(
      await page.evaluate(
        () =>
          document.querySelector('.tree [aria-current="true"]')?.parentElement?.querySelector("ul")
            ?.textContent,
      ),
    ).toMatch(/附件 三、\(四\)1\./);
    // A neighbour opens in place.
    await view.locator(".neighbours button").last().click();
    await page.waitForFunction(() =>
      document.querySelector("#clause-view h2")?.textContent?.endsWith("(四)1."),
    );
    await shot(page, "clauses-view", false);
    expect(scriptErrors(page)).toEqual([]);
  });

  it("says in Chinese when the server cannot be reached, instead of failing silently", async () => {
    const page = await openConsole();
    await page.click("#tab-clauses");
    await page.route("**/api/clauses?**", (route) => route.abort("connectionrefused"));
    await page.fill("#clause-q", "继续教育");
    await page.waitForFunction(() => document.getElementById("clause-status")?.classList.contains("error"));
    expect(await page.textContent("#clause-status")).toBe("无法连接服务器，请检查网络连接或稍后再试。");
    await shot(page, "clauses-unreachable", false);
  });
});

describe("资格自测", () => {
  it("takes every profile field, shows the report with badges, citations that open clauses, and prints", async () => {
    const page = await openConsole();
    await page.click("#tab-check");
    await page.waitForSelector("#p-region option", { state: "attached" });
    // Nothing is assumed: region and level start unchosen, and the form will not send without them.
    expect(await page.inputValue("#p-region")).toBe("");
    expect(await page.inputValue("#p-targetLevel")).toBe("");
    const valid = await page.$eval("#check-form", (f) =>
      (f as unknown as { checkValidity(): boolean }).checkValidity(),
    );
    expect(valid).toBe(false);
    const labels = await page.locator("#check-fields label, #check-fields legend").allTextContents();
    for (const name of [
      "地区",
      "申报级别",
      "学历",
      "毕业时间",
      "单位性质",
      "奖项与标准",
      "代表性成果数量",
      "业绩条件",
      "自评分",
      "继续教育",
      "今年另报其他职称",
      "首次申报",
    ])
      expect(labels.some((l) => l.startsWith(name))).toBe(true);
    expect(await page.locator("#p-education option").allTextContents()).toEqual([
      "不清楚",
      "中专",
      "大专",
      "本科",
      "第二学士",
      "硕士",
      "博士",
    ]);
    await page.selectOption("#p-region", "beijing");
    await page.selectOption("#p-targetLevel", "senior");
    await page.selectOption("#p-education", "master");
    await page.fill("#p-graduated", "2020-07");
    await page.fill("#p-specialtyWorkSince", "2020-07");
    await page.selectOption("#p-currentTitle-level", "none");
    await page.selectOption("#p-awards", "none");
    await page.fill("#p-achievements", "3");
    await page.selectOption("#p-performanceMet", "true");
    await page.selectOption("#p-continuingEducationMet", "true");
    await page.selectOption("#p-employerType", "state-owned");
    await page.fill("#p-asOf", "2024-12-31");
    // The keyboard submits the form.
    await page.focus("#p-achievements");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".verdict");
    expect(await focusedId(page)).toBe("check-report");
    expect(await page.textContent(".verdict")).toBe("结论：暂不符合申报条件");
    expect(await page.textContent("#check-report")).toContain("最早可申报：2027-07");
    const badges = await page.locator(".criteria .badge").allTextContents();
    expect(badges).toContain("✓");
    expect(badges).toContain("✗");
    expect(badges.every((b) => ["✓", "✗", "?"].includes(b))).toBe(true);
    const unmet = page
      .locator(".criteria li.unmet")
      .filter({ hasText: "硕士研究生毕业后，从事本专业技术工作满7年" });
    expect(await unmet.locator(".cite").textContent()).toBe("京人社事业发〔2020〕30号 附件 三、(一)2.(2)");
    await shot(page, "check-report", false);
    await page.emulateMedia({ media: "print" });
    expect(await page.isHidden("#check-form")).toBe(true);
    expect(await page.isHidden("header.top")).toBe(true);
    expect(await page.isVisible(".verdict")).toBe(true);
    await shot(page, "check-print");
    await page.emulateMedia({ media: "screen" });

    await unmet.locator(".cite").click();
    await page.waitForFunction(() => document.activeElement?.id === "clause-view-title");
    expect(await page.getAttribute("#tab-clauses", "aria-selected")).toBe("true");
    expect(await page.textContent("#clause-view h2")).toBe("京人社事业发〔2020〕30号 附件 三、(一)2.(2)");

    // An undetermined report names the missing facts in Chinese; rounds and deadlines of Bazhong are listed.
    await page.click("#tab-check");
    await page.selectOption("#p-region", "sichuan-bazhong");
    await page.selectOption("#p-targetLevel", "engineer");
    await page.fill("#p-asOf", "");
    await page.selectOption("#p-performanceMet", "");
    await page.click("#check-submit");
    await page.waitForFunction(
      () => document.querySelector(".verdict")?.textContent !== "结论：暂不符合申报条件",
    );
    const text = await page.textContent("#check-report");
    expect(text).toContain("申报轮次");
    expect(text).toMatch(/进行中/);
    expect(text).toMatch(/2024-09-20/);
    expect(await page.locator(".criteria .badge").allTextContents()).toContain("?");
    expect(scriptErrors(page)).toEqual([]);
  });

  it("shows the server's refusal of an invalid profile", async () => {
    const page = await openConsole();
    await page.click("#tab-check");
    await page.waitForSelector("#p-region option", { state: "attached" });
    await page.fill("#p-graduated", "2030-01");
    await page.fill("#p-asOf", "2024-01-01");
    await page.click("#check-submit");
    await page.waitForFunction(() => document.getElementById("check-status")?.classList.contains("error"));
    expect(await page.textContent("#check-status")).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe("申报时间", () => {
  it("lists the deadlines of a region and level, marks past steps, and offers the calendar file", async () => {
    const page = await openConsole();
    await page.click("#tab-deadlines");
    await page.waitForSelector(".deadline-group");
    // The server's today (the tests' fixed clock), not the browser's.
    expect(await page.inputValue("#deadline-today")).toBe("2024-09-01");
    await page.selectOption("#deadline-region", "zhejiang");
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".deadline-group h2")].every((h) => !h.textContent?.includes("巴中")),
    );
    const rows = page.locator("#deadline-list tbody tr");
    // The 2023 professor round is over by 2024-09-01; the 2024 senior round is not.
    expect(await page.locator("tr.past").filter({ hasText: "2024-03-08" }).count()).toBe(1);
    expect(await page.locator("tr:not(.past)").filter({ hasText: "2024-09-06" }).count()).toBe(1);
    expect(await rows.count()).toBeGreaterThan(3);
    await page.selectOption("#deadline-level", "senior");
    await page.waitForFunction(
      () => !document.getElementById("deadline-list")?.textContent?.includes("2024-03-08"),
    );
    const href = await page.getAttribute("#deadline-ics", "href");
    expect(href).toBe("/api/deadlines?region=zhejiang&level=senior&format=ics");
    const ics = await page.request.get(`${t.base}${href}`);
    expect(ics.headers()["content-type"]).toMatch(/^text\/calendar/);
    expect(await ics.text()).toMatch(/^BEGIN:VCALENDAR/);
    await shot(page, "deadlines");
    expect(scriptErrors(page)).toEqual([]);
  });
});

describe("咨询对话", () => {
  it("shows typing while waiting, disables stale choices, and restores the conversation after a reload", async () => {
    const page = await openConsole();
    // Hold the answer a moment so the waiting state can be seen.
    await page.route("**/api/chat", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await page.focus("#chat-text");
    await page.keyboard.type("我能评高工吗");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#typing:not([hidden])");
    expect(await page.isDisabled("#chat-send")).toBe(true);
    await page.waitForSelector(".msg.bot .choices button");
    expect(await page.isHidden("#typing")).toBe(true);
    expect(await page.isEnabled("#chat-send")).toBe(true);
    // The user's bubble is not the bot's grey.
    const colours = await page.evaluate(() => ({
      me: getComputedStyle(document.querySelector(".msg.me .bubble")).backgroundColor,
      bot: getComputedStyle(document.querySelector(".msg.bot .bubble")).backgroundColor,
    }));
    expect(colours.me).not.toBe(colours.bot);
    await page.click(".msg.bot .choices button:has-text('浙江')");
    await page.waitForFunction(() => document.querySelectorAll(".msg.me").length === 2);
    await page.waitForFunction(() => document.querySelectorAll(".msg.bot").length === 3);
    const firstChoices = page.locator(".msg").nth(2).locator(".choices button");
    expect(await firstChoices.first().isDisabled()).toBe(true);
    expect(await page.locator(".msg").last().locator(".choices button").first().isEnabled()).toBe(true);
    await shot(page, "chat");

    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll(".msg").length === 5);
    expect(await page.locator(".msg.me .bubble").allTextContents()).toEqual(["我能评高工吗", "浙江"]);
    expect(await page.locator(".msg").nth(2).locator(".choices button").first().isDisabled()).toBe(true);
    // The last question's choices still answer it: the server kept the conversation too.
    await page.locator(".msg").last().locator(".choices button", { hasText: "国企" }).click();
    await page.waitForFunction(() =>
      document.querySelector(".msg:last-child .bubble")?.textContent?.includes("已记录"),
    );
    // A policy answer's citations name notice and path, and open the clause.
    await page.fill("#chat-text", "巴中评审费多少钱");
    await page.press("#chat-text", "Enter");
    const cite = page.locator(".msg .cites button").first();
    await cite.waitFor();
    const ref = await cite.textContent();
    expect(ref).toMatch(/^《关于开展2024年度全市大数据与人工智能专业初级、中级职称申报评审工作的通知》 /);
    await cite.click();
    await page.waitForFunction(() => document.activeElement?.id === "clause-view-title");
    expect(await page.getAttribute("#tab-clauses", "aria-selected")).toBe("true");
    expect(await page.textContent("#clause-view h2")).toBe(ref);
    expect(scriptErrors(page)).toEqual([]);
  });

  it("continues the conversation of its session cookie on a public server (the body's user is ignored there)", async () => {
    const public_ = await startServer({ listensOnLoopback: false });
    try {
      const page = await openConsole(1200, 900, public_.base);
      await page.fill("#chat-text", "我能评高工吗");
      await page.press("#chat-text", "Enter");
      await page.waitForSelector(".msg.bot .choices button");
      const cookies = await page.context().cookies();
      expect(cookies.find((c) => c.name === "zc_session")?.httpOnly).toBe(true);
      // Another id in the page's storage changes nothing: the cookie names the conversation, not the body's user.
      await page.evaluate(() => localStorage.setItem("zc-user", "someone-else"));
      await page.reload();
      await page.waitForSelector(".msg.bot .choices button");
      await page.locator(".msg").last().locator(".choices button", { hasText: "北京" }).click();
      await page.waitForFunction(() =>
        document.querySelector(".msg:last-child .bubble")?.textContent?.includes("已记录：地区 北京"),
      );
      // The level given before the reload is still known: a new conversation would ask for it.
      expect(await page.locator(".msg").last().textContent()).toMatch(/单位是什么性质/);
      expect(scriptErrors(page)).toEqual([]);
    } finally {
      await context?.close();
      context = undefined;
      await public_.close();
    }
  });

  it("says so in Chinese when the server is unreachable, over its limit or busy, and retries a pending message", async () => {
    const page = await openConsole();
    const outcomes = [
      { status: 0 },
      {
        status: 429,
        headers: { "retry-after": "7" },
        body: {
          error: { code: "rate_limited", message: "x" },
          replies: [{ text: "您发得太快了，请稍等片刻。" }],
        },
      },
      {
        status: 503,
        headers: { "retry-after": "3" },
        body: { error: { code: "busy", message: "x" }, replies: [{ text: "服务繁忙，请稍后再试。" }] },
      },
      { status: 202, body: { pending: true, replies: [] } },
      { status: 200, body: { replies: [{ text: "这是第一次投递的回答。" }], duplicate: true } },
    ];
    const ids: string[] = [];
    await page.route("**/api/chat", async (route) => {
      ids.push((route.request().postDataJSON() as { messageId: string }).messageId);
      const next = outcomes.shift();
      if (!next || next.status === 0) return route.abort("connectionrefused");
      return route.fulfill({
        status: next.status,
        headers: next.headers ?? {},
        contentType: "application/json",
        body: JSON.stringify(next.body),
      });
    });
    const send = async (text: string) => {
      const before = await page.locator(".msg").count();
      await page.fill("#chat-text", text);
      await page.press("#chat-text", "Enter");
      await page.waitForFunction((n) => document.querySelectorAll(".msg").length >= n, before + 2);
      return page.locator(".msg").last().textContent();
    };
    expect(await send("你好")).toBe("助手：无法连接服务器，请检查网络连接或稍后再试。");
    expect(await send("你好")).toBe("助手：您发得太快了，请稍等片刻。（约 7 秒后可重试）");
    expect(await send("你好")).toBe("助手：服务繁忙，请稍后再试。（约 3 秒后可重试）");
    expect(await send("你好")).toBe("助手：这是第一次投递的回答。");
    // The pending message was sent again under the same id.
    expect(ids[3]).toBe(ids[4]);
    expect(await page.locator(".msg.error").count()).toBe(3);
    await shot(page, "chat-errors", false);
  });
});

/** A CSV's rows (quoted fields with commas, quotes and line breaks; a leading BOM dropped). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/u, "");
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Clicks `selector` and reads the file the page downloads: its suggested name and bytes. */
async function downloadOf(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

describe("人事批量", () => {
  it("downloads the template, uploads a staff sheet and saves the results sheet, one row per person", async () => {
    const page = await openConsole();
    await page.focus("#tab-chat");
    await page.keyboard.press("End");
    expect(await page.isVisible("#hr-form")).toBe(true);
    expect(await page.textContent("#hr-hint")).toMatch(/每人一行.*列名.*错误/u);
    // The keyboard reaches the template links, the file input and the button, in that order.
    const order: string[] = [];
    await page.keyboard.press("Tab"); // the panel
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press("Tab");
      order.push(await focusedId(page));
    }
    expect(order).toEqual(["hr-template", "hr-template-csv", "hr-file", "hr-submit"]);
    await shot(page, "hr", false);

    const template = await downloadOf(page, "#hr-template");
    expect(template.name).toBe("人员表模板.xlsx");
    expect(template.bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    const csvTemplate = await downloadOf(page, "#hr-template-csv");
    expect(csvTemplate.name).toBe("人员表模板.csv");

    // A sheet in the template's own Chinese labels (as the server gives them), plus a column of HR's own.
    const header = parseCsv(await (await page.request.get(`${t.base}/api/hr/template?format=csv`)).text())[0];
    expect(header).toEqual(expect.arrayContaining(["编号", "地区", "申报级别", "学历"]));
    const people: Record<string, string>[] = [
      {
        编号: "001",
        姓名: "张三",
        地区: "北京",
        申报级别: "高级工程师",
        学历: "硕士",
        毕业时间: "2020-07",
        从事本专业起始时间: "2020-07",
        现有职称级别: "无",
        奖项与标准: "none",
        代表性成果数量: "3",
        满足业绩条件: "是",
        继续教育已完成: "是",
        单位性质: "国企",
        评估日期: "2024-12-31",
      },
      { 编号: "002", 姓名: "李四", 地区: "火星", 申报级别: "工程师" },
      { 编号: "003", 姓名: "王五", 地区: "浙江", 申报级别: "高工", 学历: "本科" },
    ];
    const columns = [...(header ?? []), "姓名"];
    const csv = [columns, ...people.map((p) => columns.map((c) => p[c] ?? ""))]
      .map((r) => r.join(","))
      .join("\n");
    const sent: { url: string; type: string | undefined }[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/hr/check")) sent.push({ url: r.url(), type: r.headers()["content-type"] });
    });
    await page.getByLabel("人员表（.xlsx 或 .csv）").setInputFiles({
      name: "人员表.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv, "utf8"),
    });
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#hr-submit")]);
    expect(sent).toEqual([{ url: `${t.base}/api/hr/check?format=csv`, type: "text/csv" }]);
    const results = parseCsv(readFileSync(await download.path(), "utf8")).filter((r) =>
      r.some((c) => c !== ""),
    );
    expect(download.suggestedFilename()).toBe("职称评估结果.csv");
    const [head, ...rows] = results;
    expect(head).toContain("结论");
    expect(head).toContain("错误");
    // 编号 comes back as the id column.
    expect(rows.map((r) => r[head!.indexOf("id")])).toEqual(["001", "002", "003"]);
    expect(rows.map((r) => r[head!.indexOf("姓名")])).toEqual(["张三", "李四", "王五"]);
    const verdicts = rows.map((r) => r[head!.indexOf("结论")]);
    expect(verdicts[0]).toBe("暂不符合申报条件");
    expect(verdicts[2]).toBe("尚无法确定");
    expect(rows[1]?.[head!.indexOf("错误")]).toMatch(/“地区”一栏的值“火星”无法识别/u);
    await page.waitForFunction(() =>
      document.getElementById("hr-status")?.textContent?.startsWith("评估完成"),
    );
    expect(await page.textContent("#hr-status")).toContain("职称评估结果.csv");
    expect(await page.isEnabled("#hr-submit")).toBe(true);
    expect(await page.isHidden("#hr-progress")).toBe(true);
    await shot(page, "hr-done", false);

    // An .xlsx goes as one and comes back as one: the template itself, sent back empty.
    await page.setInputFiles("#hr-file", { name: "人员表.xlsx", mimeType: "", buffer: template.bytes });
    const xlsx = await downloadOf(page, "#hr-submit");
    expect(sent[1]?.url).toBe(`${t.base}/api/hr/check?format=xlsx`);
    expect(xlsx.name).toBe("职称评估结果.xlsx");
    expect(xlsx.bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(scriptErrors(page)).toEqual([]);
  });

  it("disables the button and shows progress while the sheet is evaluated", async () => {
    const page = await openConsole();
    await page.click("#tab-hr");
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/hr/check**", async (route) => {
      await held;
      await route.continue();
    });
    // A file the browser gives no type (an upload's type comes from the system's table of extensions).
    await page.evaluate(`(() => {
      const input = document.getElementById("hr-file");
      const files = new DataTransfer();
      files.items.add(new File(["编号,地区,申报级别\\n001,北京,高级工程师\\n"], "staff.CSV", { type: "" }));
      input.files = files.files;
    })()`);
    const type = page.waitForRequest("**/api/hr/check**");
    await page.click("#hr-submit");
    // No type from the browser: the bytes go as application/octet-stream, the format by the extension.
    const request = await type;
    expect(request.headers()["content-type"]).toBe("application/octet-stream");
    expect(request.url()).toMatch(/\?format=csv$/u);
    await page.waitForSelector("#hr-progress:not([hidden])");
    expect(await page.isDisabled("#hr-submit")).toBe(true);
    expect(await page.getAttribute("#hr-form", "aria-busy")).toBe("true");
    expect(await page.textContent("#hr-status")).toMatch(/正在/u);
    await shot(page, "hr-waiting", false);
    const [download] = await Promise.all([page.waitForEvent("download"), Promise.resolve(release())]);
    expect(download.suggestedFilename()).toBe("职称评估结果.csv");
    await page.waitForSelector("#hr-progress[hidden]", { state: "attached" });
    expect(await page.isEnabled("#hr-submit")).toBe(true);
    expect(scriptErrors(page)).toEqual([]);
  });

  it("says in Chinese why a sheet was refused: garbage, a wrong file, the rate limit", async () => {
    const page = await openConsole();
    await page.click("#tab-hr");
    const errorShown = () =>
      page.waitForFunction(() => document.getElementById("hr-status")?.classList.contains("error"));
    // A text file renamed .csv: the server's 422, word for word.
    await page.setInputFiles("#hr-file", {
      name: "notes.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("just some notes\x00\x01 not a sheet at all;;\n\u00ff\u00fe garbage\n", "latin1"),
    });
    await page.click("#hr-submit");
    await errorShown();
    expect(await page.textContent("#hr-status")).toBe(HR_TEXT.noKnownColumns);
    expect(await page.getAttribute("#hr-status", "aria-live")).toBe("polite");
    expect(await page.isEnabled("#hr-submit")).toBe(true);
    await shot(page, "hr-error", false);

    // Not .xlsx or .csv: refused before anything is sent.
    let posted = 0;
    page.on("request", (r) => {
      if (r.url().includes("/api/hr/check")) posted++;
    });
    await page.setInputFiles("#hr-file", {
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("x"),
    });
    expect(await page.textContent("#hr-status")).toBe("");
    await page.click("#hr-submit");
    await errorShown();
    expect(await page.textContent("#hr-status")).toBe("“notes.txt”不是 .xlsx 或 .csv 文件，请另选一个文件。");
    expect(posted).toBe(0);

    // Over the rate limit: the server's message and the wait.
    await page.route("**/api/hr/check**", (route) =>
      route.fulfill({
        status: 429,
        headers: { "retry-after": "7" },
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "rate_limited", message: "请求过于频繁，请稍后再试。" } }),
      }),
    );
    await page.setInputFiles("#hr-file", { name: "a.xlsx", mimeType: "", buffer: Buffer.from("PK") });
    await page.click("#hr-submit");
    await page.waitForFunction(() => document.getElementById("hr-status")?.textContent?.includes("秒后"));
    expect(await page.textContent("#hr-status")).toBe("请求过于频繁，请稍后再试。（约 7 秒后可重试）");
    expect(posted).toBe(1);
    expect(scriptErrors(page)).toEqual([]);
  });
});

describe("375 px wide", () => {
  it("fits every tab without sideways scrolling", async () => {
    const page = await openConsole(375, 740);
    for (const tab of ["chat", "clauses", "check", "deadlines", "hr"]) {
      await page.click(`#tab-${tab}`);
      if (tab === "clauses") {
        await page.fill("#clause-q", "破格");
        await page.waitForSelector(".result");
        await page.locator(".result .open").first().click();
        await page.waitForSelector("#clause-view h2");
      }
      if (tab === "check") {
        await page.waitForSelector("#p-region option", { state: "attached" });
        await page.selectOption("#p-region", "zhejiang");
        await page.selectOption("#p-targetLevel", "senior");
        await page.click("#check-submit");
        await page.waitForSelector(".verdict");
      }
      if (tab === "deadlines") await page.waitForSelector(".deadline-group");
      if (tab === "hr") {
        // A long file name in the refusal wraps instead of widening the page.
        await page.setInputFiles("#hr-file", {
          name: `${"二〇二四年度人工智能专业技术人员职称申报人员信息汇总".repeat(2)}.txt`,
          mimeType: "text/plain",
          buffer: Buffer.from("x"),
        });
        await page.click("#hr-submit");
        await page.waitForSelector("#hr-status.error");
      }
      await shot(page, `narrow-${tab}`);
      // The elements sticking out, named, so a failure says what to fix.
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
          .filter((e) => !e.closest('[role="tablist"]'))
          .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`),
      );
      expect([tab, wide]).toEqual([tab, []]);
      expect([tab, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([tab, 375]);
    }
    expect(scriptErrors(page)).toEqual([]);
  });
});
