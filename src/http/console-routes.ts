// The web console's routes: its static files (/, scripts, styles, /favicon.ico) and the read-only JSON it reads
// (GET /api/vocabulary, /api/notices, /api/notices/:docId, /api/clauses/:clauseId), the latter in the /api scope so the access
// rules and the per-client rate limit cover them.
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { clauseContext, listNotices, noticeOutline } from "../app/notice-outline.ts";
import type { Services } from "../app/services.ts";
import { AWARD_NAMES, EDUCATION_NAMES, EMPLOYER_NAMES, FIELD_NAMES } from "../i18n/zh-CN.ts";
import { todayInShanghai } from "../shared/clock.ts";
import { LEVEL_NAMES, REGIONS, REGION_NAMES } from "../shared/domain.ts";
import { CONSOLE_MESSAGES } from "./console-messages.ts";
import { HttpProblem } from "./http-errors.ts";

const PUBLIC_DIR = fileURLToPath(new URL("./public/", import.meta.url));

const TYPES: Record<string, string> = {
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** The console's files besides index.html (served by GET /), read once: name → [type, body]. */
function readAssets(dir: string): Map<string, [string, string]> {
  const assets = new Map<string, [string, string]>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, [type, readFileSync(join(dir, name), "utf8")]);
  }
  return assets;
}

/** docId: the shape of a notice id (notice-meta.ts). */
const noticeParams = {
  params: {
    type: "object",
    required: ["docId"],
    properties: { docId: { type: "string", maxLength: 100, pattern: "^[a-z0-9]+(-[a-z0-9]+)*$" } },
  },
} as const;
const clauseParams = {
  params: {
    type: "object",
    required: ["clauseId"],
    properties: { clauseId: { type: "string", minLength: 1, maxLength: 200 } },
  },
} as const;

/**
 * Static files at the root: every .js, .css and .svg of src/http/public (a page added there, such as the HR
 * sheet page's script, is served without a route of its own); /favicon.ico is favicon.svg.
 */
export function registerConsoleAssets(app: FastifyInstance): void {
  const assets = readAssets(PUBLIC_DIR);
  for (const [name, [type, body]] of assets) {
    app.get(`/${name}`, (_request, reply) => {
      void reply.type(type);
      return Promise.resolve(body);
    });
  }
  const icon = assets.get("favicon.svg");
  if (icon)
    app.get("/favicon.ico", (_request, reply) => {
      void reply.type(icon[0]);
      return Promise.resolve(icon[1]);
    });
}

/** The console's read-only JSON routes; register them in the /api scope (after its hooks). */
export function registerConsoleApi(app: FastifyInstance, services: Services): void {
  // The contract's values with their Chinese names (the form's options) and the server's today (deadlines
  // are past or to come by the server's clock, not the browser's).
  app.get("/api/vocabulary", () =>
    Promise.resolve({
      today: todayInShanghai(services.clock),
      regions: REGIONS.map((id) => ({ id, name: REGION_NAMES[id] ?? id })),
      levels: LEVEL_NAMES,
      educations: EDUCATION_NAMES,
      employers: EMPLOYER_NAMES,
      awards: AWARD_NAMES,
      fields: FIELD_NAMES,
    }),
  );

  app.get("/api/notices", () =>
    Promise.resolve({
      regions: REGIONS.map((id) => ({ id, name: REGION_NAMES[id] ?? id })),
      notices: listNotices(services.knowledge()),
    }),
  );

  app.get<{ Params: { docId: string } }>("/api/notices/:docId", { schema: noticeParams }, (request) => {
    const outline = noticeOutline(services.knowledge(), request.params.docId);
    if (!outline)
      throw new HttpProblem(404, "unknown_notice", CONSOLE_MESSAGES.unknownNotice(request.params.docId));
    return Promise.resolve(outline);
  });

  app.get<{ Params: { clauseId: string } }>("/api/clauses/:clauseId", { schema: clauseParams }, (request) => {
    const context = clauseContext(services.knowledge(), request.params.clauseId);
    if (!context)
      throw new HttpProblem(404, "unknown_clause", CONSOLE_MESSAGES.unknownClause(request.params.clauseId));
    return Promise.resolve(context);
  });
}
