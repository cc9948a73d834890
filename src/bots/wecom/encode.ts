// Reply → WeCom app messages: markdown (WeCom renders it; line breaks kept), ≤ 2048 bytes each.
// https://developer.work.weixin.qq.com/document/path/90236 (发送应用消息: markdown)

/** message/send's body for one markdown text to one member. Markdown needs no escaping for our plain text. */
export function markdownMessage(userId: string, agentId: number, text: string): Record<string, unknown> {
  return { touser: userId, msgtype: "markdown", agentid: agentId, markdown: { content: text } };
}
