// Operator routes outside /api: POST /admin/reload (knowledge/ again without a restart), behind ADMIN_TOKEN.
import { timingSafeEqual, createHash } from "node:crypto";
import { REMINDER_TEXT } from "../i18n/reminder-messages.ts";
import type { WebhookRoute } from "./webhook-routes.ts";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** True when the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function bearerMatches(header: string | string[] | undefined, token: string): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer (.+)$/.exec(value ?? "");
  return m?.[1] !== undefined && timingSafeEqual(digest(m[1]), digest(token));
}

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });

/**
 * `POST /admin/reload`: 401 without the token, 200 `{reloaded: true, deadlines}` once the new knowledge is in use,
 * 422 with the reason when it cannot be loaded (the old stays). Without ADMIN_TOKEN the route is not mounted.
 */
export function adminRoutes(
  token: string | undefined,
  reload: () => Promise<{ deadlines: number }>,
): WebhookRoute[] {
  if (!token) return [];
  return [
    {
      method: "POST",
      path: "/admin/reload",
      handle: async ({ headers }) => {
        if (!bearerMatches(headers.authorization, token))
          return json(401, { error: { code: "unauthorized", message: REMINDER_TEXT.adminUnauthorized } });
        try {
          const { deadlines } = await reload();
          return json(200, { reloaded: true, deadlines });
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          return json(422, {
            error: { code: "knowledge_invalid", message: REMINDER_TEXT.reloadFailed(reason) },
          });
        }
      },
    },
  ];
}
