// Settings of the WeChat Official Account channel.
// https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html

export interface WeChatSettings {
  /** 令牌 (Token) of the server configuration. */
  token: string;
  appId: string;
  appSecret: string;
  /** EncodingAESKey: set for safe mode (加密模式) or compatible mode; unset: plaintext only. */
  encodingAesKey?: string;
  /** Default https://api.weixin.qq.com (a local fake in tests). */
  apiBase?: string;
}

/** The callback path on the HTTP port. */
export const WECHAT_PATH = "/wechat";
