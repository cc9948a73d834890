// Chinese and Arabic numerals: 五、两、十二、二十三、一百零五、二〇一九、两年半.

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  o: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };

/** Characters a Chinese numeral is made of (used to build the regexes of other parsers). */
export const CHINESE_NUMERAL_CHARS = "零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟";

/**
 * The value of one numeral: "12", "十二", "二十", "一百零五", "二〇一九" (read digit by digit when
 * it has no unit). Undefined when the string is not a numeral or is absurdly long.
 */
export function parseNumeral(raw: string): number | undefined {
  const s = raw.trim();
  if (s.length === 0 || s.length > 12) return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const chars = [...s];
  if (!chars.every((c) => c in DIGITS || c in UNITS)) return undefined;
  if (!chars.some((c) => c in UNITS)) {
    // "二〇一九" is a year read digit by digit; "七八" and "两三" are ranges, not 78 or 23.
    if (chars.length > 1 && chars.length !== 4 && !chars.some((c) => c === "〇" || c === "零"))
      return undefined;
    return Number(chars.map((c) => DIGITS[c]).join(""));
  }
  let total = 0;
  let digit: number | undefined;
  for (const c of chars) {
    const d = DIGITS[c];
    if (d !== undefined) {
      if (digit !== undefined && digit !== 0) return undefined; // "二三十" is not a number
      digit = d;
      continue;
    }
    const unit = UNITS[c] ?? 1;
    total += (digit ?? 1) * unit; // "十二": a leading 十 means one ten
    digit = undefined;
  }
  return total + (digit ?? 0);
}

const NUMERAL_BEFORE_UNIT = new RegExp(
  `[${CHINESE_NUMERAL_CHARS}]+(?=[年月篇项个份部分名位次岁号期本件])|(?<=[第前后近])[${CHINESE_NUMERAL_CHARS}]+`,
  "g",
);

/**
 * Rewrites Chinese numerals as Arabic where a unit or 第 marks them as numbers ("五年" → "5年",
 * "第二名" → "第2名") and leaves words such as "一直" or "统一" alone. Idempotent.
 */
export function arabicNumerals(text: string): string {
  return text.replace(NUMERAL_BEFORE_UNIT, (m) => {
    const n = parseNumeral(m);
    return n === undefined ? m : String(n);
  });
}

/**
 * A duration in months: "5年", "两年半", "三年多", "18个月", "一年零三个月".
 * Undefined when the text names no duration.
 */
export function parseDurationMonths(text: string): number | undefined {
  const t = arabicNumerals(text);
  const m = /(\d+(?:\.\d+)?)\s*年(半)?(?:零?(\d+)\s*个?月)?|(\d+)\s*个月|(半)年/.exec(t);
  if (!m) return undefined;
  if (m[5]) return 6;
  if (m[4]) return Number(m[4]);
  const years = Number(m[1]);
  const months = Math.round(years * 12) + (m[2] ? 6 : 0) + (m[3] ? Number(m[3]) : 0);
  return Number.isFinite(months) && months <= 12 * 80 ? months : undefined;
}
