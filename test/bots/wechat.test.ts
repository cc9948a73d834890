// The WeChat Official Account channel: the contract every channel passes (answers through the inbox and the
// customer-service API), then passive replies, safe mode, the URL check and the 5 s budget.
import { channelContract } from "./channel-contract.ts";
import { wechatHarness } from "./support/weixin-harness.ts";

channelContract(wechatHarness);
