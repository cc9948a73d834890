// Chinese messages of the command line.

export const MESSAGES = {
  lineTooLong: (max: number) => `这一行过长（超过 ${max} 个字符），已跳过。`,
  invalidJsonLine: "这一行不是合法的 JSON 对象，已跳过。",
  internalLineError: (_err: unknown) => "处理这一行时出现内部错误，已跳过；其他行不受影响。",
  usage: `用法：zhicheng <命令> [参数]

  ask "<问题>" [--as-of YYYY-MM-DD] [--json]   回答政策问题（附条款引用；--as-of 指定提问日期）
  ask --batch FILE [--json]           批量问答（JSON Lines，每行 {"id","q"}）
  clause "<查询>" [--limit N]         按关键词、短语或条款编号查条款
  check --profile FILE                资格评估（申报人信息 JSON）
  check --batch FILE [--summary]      批量资格评估（.jsonl、.csv 或 .xlsx；--summary 只输出结论摘要）
        [--out FILE]                  结果写入 .jsonl、.csv 或 .xlsx（每行一人，顺序不变），屏幕只显示统计
  template [--format xlsx|csv] [--out FILE]   人员表模板（check --batch 可读的列名）
  deadlines [--region R] [--level L] [--after YYYY-MM-DD] [--ics]
  ingest FILE --id ID --title 标题 [--number 文号] [--issuer 发文单位] [--date YYYY-MM-DD]
         --region R --levels a,b [--kind measures|round-notice|draft]
  chat                                终端对话
  serve                               启动 HTTP API、网页控制台和已配置的聊天渠道（PORT，默认 3000）
  worker                              单独运行截止提醒的发送进程（需要 REDIS_URL）
  reminders due|send [--at 时间] [--json]   列出或立即发送到期的截止提醒（需要 REDIS_URL）

FILE 可用 - 表示标准输入。加 --json 只输出 JSON。`,
  unknownCommand: (cmd: string) => `未知命令：${cmd}。运行 zhicheng help 查看用法。`,
  missingArgument: (what: string) => `缺少参数：${what}`,
  badOption: (name: string, why: string) => `参数 --${name} 无效：${why}`,
  cannotRead: (file: string) => `无法读取文件：${file}`,
  cannotAccess: (file: string, code: string) =>
    `无法读写文件：${file}（${code === "ENOENT" ? "文件或目录不存在" : code === "EISDIR" ? "这是一个目录" : code === "EACCES" || code === "EPERM" ? "没有权限" : code}）`,
  notJson: (file: string) => `文件不是合法的 JSON：${file}`,
  invalidProfile: (file: string, why: string) =>
    `申报人信息${file === "-" ? "（标准输入）" : ` ${file} `}有误：${why}`,
  noDeadlines: "没有符合条件的时间节点。",
  noClauses: "没有找到相关条款。",
  ingested: (id: string, n: number) => `已导入 ${id}：共 ${n} 个条款，索引已更新。`,
  proposedDeadlines: "文中出现的日期（建议作为时间节点，请工作人员确认后写入 knowledge/deadlines）：",
  noDatesFound: "文中没有找到日期。",
  internalError: (ref: string) => `服务内部错误，请稍后再试（参考编号 ${ref}）。`,
} as const;
