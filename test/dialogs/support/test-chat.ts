// A test channel: feeds messages through handleTurn, keeps the state, records every reply.
import { handleTurn } from "../../../src/dialogs/handle-turn.ts";
import type { DialogDeps, DialogState } from "../../../src/dialogs/types.ts";
import type { Reply } from "../../../src/shared/chat.ts";

export interface TestChat {
  /** Sends one message; resolves once the replies are in. */
  says(text: string): Promise<TestChat>;
  /** The text of the last reply (all replies of the last turn joined, for matching). */
  last(): string;
  /** The replies of the last turn. */
  lastReplies(): Reply[];
  state(): DialogState | undefined;
  /** True after the handler asked for the state to be deleted. */
  deleted(): boolean;
  turns(): number;
  transcript(): string[];
}

/** A conversation of one user with the dialog through `deps`. */
export function testChat(deps: DialogDeps, user = "u1"): TestChat {
  let state: DialogState | undefined;
  let replies: Reply[] = [];
  let wasDeleted = false;
  let turns = 0;
  const log: string[] = [];
  const chat: TestChat = {
    async says(text) {
      const out = await handleTurn(state, { channel: "test", user, text }, deps);
      turns += 1;
      replies = out.replies;
      wasDeleted = out.state === "delete";
      // Round-trip through JSON as a session store would, so a state that does not survive storage fails here.
      state = out.state === "delete" ? undefined : (JSON.parse(JSON.stringify(out.state)) as DialogState);
      log.push(`> ${text}`, ...replies.map((r) => r.text));
      return chat;
    },
    last: () => replies.map((r) => r.text).join("\n"),
    lastReplies: () => replies,
    state: () => state,
    deleted: () => wasDeleted,
    turns: () => turns,
    transcript: () => log,
  };
  return chat;
}
