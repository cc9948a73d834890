// Text of the chat channels (Telegram, DingTalk, WeChat, WeCom): what users read there, and the start-up lines operators read.
import { CHAT_MESSAGES } from "./chat-messages.ts";

export const BOT_MESSAGES = {
  /** An eligibility question (or personal facts) said in a group: the assessment happens in a private chat. */
  groupPointer:
    "为保护个人信息，群里不记录、也不回显任何人的学历、职称等资料。想知道自己能否申报，请私聊我（点我的头像发消息），我会一步步帮您评估。在群里可以直接问政策条款、申报时间节点。",
  /** The store did not answer (the same words as the chat turn's "busy"). */
  busy: CHAT_MESSAGES.busy,
  /** A turn failed for a reason the user cannot fix; `ref` lets the hotline find the log line. */
  failed: (ref: string) => `抱歉，处理这条消息时出错了，请稍后再试。参考编号：${ref}`,
  /** A keyboard button whose message is too old for its choices to be read back. */
  choiceExpired: "这个选项已过期，请直接输入您的回答。",
  /** Quick replies on a channel without buttons. */
  choicesLine: (choices: string[]) => `可回复：${choices.join(" / ")}`,
  /** Quick replies on WeChat and WeCom: numbered lines, answered with the number. */
  numberedChoices: (choices: readonly string[]) =>
    ["回复序号即可选择：", ...choices.map((c, i) => `${i + 1}. ${c}`)].join("\n"),
  /** WeChat / WeCom: someone followed the Official Account (or opened the app). */
  welcome:
    "您好，我是职称助手。可以问我职称政策（如“巴中评审费多少钱”），或者说“我能评高工吗”，我会一步步帮您评估能否申报。发送 /help 查看用法。",
  /** WeChat / WeCom: a picture, voice note, video, file or location instead of words. */
  textOnly: "暂时只能看懂文字消息，请用文字描述您的问题，例如“公示几天？”或“我能评高工吗”。",
  /** Telegram's command menu (setMyCommands); descriptions ≤ 256 characters. */
  commands: [
    { command: "start", description: "开始使用职称助手" },
    { command: "help", description: "查看用法" },
    { command: "check", description: "评估能否申报（请在私聊中使用）" },
    { command: "ask", description: "政策问答，如 /ask 公示几天" },
    { command: "clause", description: "查条款原文，如 /clause 破格" },
    { command: "deadlines", description: "近期时间节点" },
    { command: "reset", description: "重新开始" },
    { command: "forget", description: "删除我记下的全部信息" },
  ],
} as const;

/** Operator log lines, in Chinese and English (the reason is the platform's or the network's own words). */
export const BOT_LOG = {
  started: (channel: string, detail: string) =>
    `渠道 ${channel} 已启动（${detail}） / channel ${channel} started (${detail})`,
  failedToStart: (channel: string, reason: string) =>
    `渠道 ${channel} 启动失败，其他渠道照常运行：${reason} / channel ${channel} failed to start, the others keep running: ${reason}`,
  down: (channel: string, reason: string) =>
    `渠道 ${channel} 暂不可用，稍后重试：${reason} / channel ${channel} is down, retrying: ${reason}`,
  stopped: (channel: string) => `渠道 ${channel} 已停止 / channel ${channel} stopped`,
} as const;
