// A channel's HTTP callback (WeChat, WeCom), as the HTTP layer mounts it: raw body, headers, query in; text out.

/** What the route writes back. */
export interface WebhookAnswer {
  status: number;
  body: string;
  /** Default `application/json; charset=utf-8`. */
  contentType?: string;
}

/** One callback route of a channel, mounted on the HTTP port (outside `/api`). */
export interface ChannelWebhook {
  method: "GET" | "POST";
  /** e.g. `/wechat`. */
  path: string;
  handle(request: {
    headers: Record<string, string | string[] | undefined>;
    query: Record<string, string>;
    body: string;
  }): Promise<WebhookAnswer>;
}
