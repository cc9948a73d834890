// Chinese messages of the HTTP API.

export const HTTP_MESSAGES = {
  bodyTooLarge: "请求内容过大。",
  invalidJson: "请求内容不是合法的 JSON 对象。",
  missingField: (field: string) => `缺少字段：${field}`,
  fieldTooLong: (field: string, max: number) => `字段 ${field} 过长（最多 ${max} 个字符）。`,
  notFound: "没有这个地址。",
  chatUnavailable: "对话服务尚未启用。",
  internalError: (ref: string) => `服务内部错误，请稍后再试（参考编号 ${ref}）。`,
} as const;
