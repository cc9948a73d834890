// Chinese messages of the chat plumbing around the dialog (busy store, rate limit).

export const CHAT_MESSAGES = {
  busy: "服务繁忙，请稍后再试。您的信息没有丢失。",
  rateLimited: "您发送得有点快，请稍等一分钟再继续。",
  chatPrompt: "您> ",
  chatWelcome: "职称助手（终端对话）。输入 /help 查看功能，Ctrl+D 退出。",
  serving: (url: string) => `职称助手已启动：网页控制台和 HTTP API 在 ${url}`,
  channelStarted: (name: string) => `已连接渠道：${name}`,
  sessionsIn: (where: string) => `会话存储：${where}`,
} as const;
