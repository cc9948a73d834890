// Knowledge reloaded without a restart: POST /admin/reload (Bearer ADMIN_TOKEN) and SIGHUP swap in the edited
// knowledge/ for the API, the dialog and the reminders; a broken folder is refused and the old knowledge stays.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createServices } from "../../src/main.ts";
import { wireServer, type WiredServer } from "../../src/serve-wiring.ts";
import { fixedClock } from "../../src/shared/clock.ts";
import { KNOWLEDGE_DIR } from "../support/paths.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";

const prefix = uniquePrefix("reload");
const TOKEN = "admin-token-0123456789";
const dir = mkdtempSync(join(tmpdir(), "zc-reload-"));
const yaml = join(dir, "deadlines", "zhejiang-ai-senior-2024.yaml");
const original = () => readFileSync(join(KNOWLEDGE_DIR, "deadlines", "zhejiang-ai-senior-2024.yaml"), "utf8");
let wired: WiredServer;
let base: string;

beforeAll(async () => {
  cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "silent",
    KNOWLEDGE_DIR: dir,
    ADMIN_TOKEN: TOKEN,
  });
  wired = await wireServer(config, await createServices(config, fixedClock("2024-08-20T02:00:00Z")));
  const { port } = await wired.http.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await wired?.http.shutdown(1_000);
  await wired?.close();
  rmSync(dir, { recursive: true, force: true });
  const admin = new Redis(TEST_REDIS_URL);
  await deleteKeysUnder(admin, prefix);
  admin.disconnect();
});

const onlineDate = async () => {
  const res = await fetch(`${base}/api/deadlines?region=zhejiang&level=senior`);
  const body = (await res.json()) as { deadlines: Array<{ id?: string; date: string }> };
  return body.deadlines.find((d) => d.id === "zhejiang-ai-senior-2024/individual-online")?.date;
};
const reload = (auth?: string) =>
  fetch(`${base}/admin/reload`, { method: "POST", headers: auth ? { authorization: auth } : {} });

describe("knowledge reload", () => {
  it("POST /admin/reload needs the token, then serves the edited deadlines", async () => {
    expect(await onlineDate()).toBe("2024-09-06");
    writeFileSync(yaml, original().replace('date: "2024-09-06"', 'date: "2024-09-10"'));
    expect(await onlineDate()).toBe("2024-09-06");
    expect((await reload()).status).toBe(401);
    expect((await reload("Bearer wrong-token-0123456789")).status).toBe(401);
    const ok = await reload(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ reloaded: true });
    expect(await onlineDate()).toBe("2024-09-10");
  });

  it("refuses a broken folder and keeps what it had", async () => {
    writeFileSync(yaml, original().replace("id: lower-committee", "id: individual-online"));
    const res = await reload(`Bearer ${TOKEN}`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/仍使用原来的内容/);
    expect(await onlineDate()).toBe("2024-09-10");
  });

  it("reloads on SIGHUP", async () => {
    writeFileSync(yaml, original().replace('date: "2024-09-06"', 'date: "2024-09-12"'));
    process.kill(process.pid, "SIGHUP");
    const end = Date.now() + 20_000;
    while ((await onlineDate()) !== "2024-09-12" && Date.now() < end)
      await new Promise((r) => setTimeout(r, 100));
    expect(await onlineDate()).toBe("2024-09-12");
  });
});
