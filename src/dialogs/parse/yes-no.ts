// Yes/no answers: 是/对/有/满足… and 没有/否/不是/不满足…
const NO =
  /^(?:没有完成|未完成|没完成|没登记|没有|没|否|不是|不|无|不满足|不够|未|不符合|还没|尚未|no|n|nope|不需要|不用|不行|不能)(?:[有的了啊呢吧是够满]|满足|符合|达到)*$/;
const YES =
  /^(?:是|是的|对|对的|有|有的|满足|符合|满了|够|够了|已|已经|嗯|嗯嗯|好|好的|yes|y|ok|yep|可以|能|达到了?|已满足|满足了|都满足|对啊|是啊|已?完成|已?登记|已?(?:修|学)满|都有|有的)(?:[的了啊呀呢吧])*$/;

/** True/false for a short yes/no answer; undefined for anything longer or unclear. */
export function parseYesNo(text: string): boolean | undefined {
  const t = text.replace(/[\s,，。.!！~～、]+/g, "");
  if (t.length === 0 || t.length > 8) return undefined;
  if (NO.test(t)) return false;
  if (YES.test(t)) return true;
  return undefined;
}
