// Settings of the WeCom (企业微信) app channel.
// https://developer.work.weixin.qq.com/document/path/90930 (接收消息与事件)

export interface WeComSettings {
  corpId: string;
  /** The self-built app's AgentId. */
  agentId: number;
  /** The app's Secret (for gettoken). */
  secret: string;
  /** The callback's Token and EncodingAESKey (WeCom always encrypts). */
  token: string;
  encodingAesKey: string;
  /** Default https://qyapi.weixin.qq.com (a local fake in tests). */
  apiBase?: string;
}

/** The callback path on the HTTP port. */
export const WECOM_PATH = "/wecom";
