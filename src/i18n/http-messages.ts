// Chinese messages of the HTTP API: every error a client can get, including the framework's own.

export const HTTP_MESSAGES = {
  bodyTooLarge: (maxBytes: number) => `请求内容过大（最多 ${Math.floor(maxBytes / 1024)} KB）。`,
  invalidJson: "请求内容不是合法的 JSON。",
  unsupportedMediaType: "请求内容应为 JSON（Content-Type: application/json）。",
  badContentLength: "请求内容的长度与 Content-Length 不符。",
  badUrl: "请求地址无效。",
  badRequest: "请求无效。",
  notFound: "没有这个地址。",
  methodNotAllowed: (allowed: readonly string[]) =>
    `这个地址不支持该请求方法（可用：${allowed.join("、")}）。`,
  /** `where` is 字段 (JSON body) or 参数 (query string). */
  missing: (where: string, name: string) => `缺少${where}：${name}`,
  tooLong: (where: string, name: string, max: number) => `${where} ${name} 过长（最多 ${max} 个字符）。`,
  empty: (where: string, name: string) => `${where} ${name} 不能为空。`,
  wrongType: (where: string, name: string, type: string) =>
    `${where} ${name} 应为${TYPE_NAMES[type] ?? type}。`,
  notOneOf: (where: string, name: string, values: readonly unknown[]) =>
    `${where} ${name} 应为 ${values.map(String).join(" / ")}。`,
  invalidValue: (where: string, name: string) => `${where} ${name} 的值无效。`,
  bodyNotObject: "请求内容应为一个 JSON 对象。",
  reservedUser: "字段 user 不能以 cookie: 开头。",
  unauthorized: "API 密钥无效。",
  metricsUnauthorized: "需要有效的监控令牌（Authorization: Bearer）。",
  tooManyRequests: (seconds: number) => `请求过于频繁，请 ${seconds} 秒后再试。`,
  shuttingDown: "服务正在重启，请稍后再试。",
  chatUnavailable: "对话服务尚未启用。",
  requestTimeout: "请求发送超时。",
  headersTooLarge: "请求头过大。",
  malformedRequest: "请求格式无效。",
  internalError: (ref: string) => `服务内部错误，请稍后再试（参考编号 ${ref}）。`,
} as const;

const TYPE_NAMES: Record<string, string> = {
  string: "字符串",
  object: "JSON 对象",
  integer: "整数",
  number: "数字",
  boolean: "true 或 false",
  array: "列表",
};
