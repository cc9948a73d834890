// The WeCom app channel: the contract every channel passes, then the encrypted URL check and the corp id.
import { channelContract } from "./channel-contract.ts";
import { wecomHarness } from "./support/weixin-harness.ts";

channelContract(wecomHarness);
