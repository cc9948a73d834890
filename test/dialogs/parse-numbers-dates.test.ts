// Numerals, durations and year-month mentions in the wordings people use in chat.
import { describe, expect, it } from "vitest";
import { arabicNumerals, parseDurationMonths, parseNumeral } from "../../src/dialogs/parse/numerals.ts";
import { monthsBefore, parseYearMonth } from "../../src/dialogs/parse/year-month.ts";

const TODAY = "2024-08-15";

describe("parseNumeral", () => {
  it.each([
    ["5", 5],
    ["五", 5],
    ["两", 2],
    ["十", 10],
    ["十二", 12],
    ["二十", 20],
    ["二十三", 23],
    ["一百零五", 105],
    ["二〇一九", 2019],
    ["二零二四", 2024],
    ["叁", 3],
  ])("%s → %d", (raw, n) => expect(parseNumeral(raw)).toBe(n));

  it.each(["", "abc", "二三十", "一直", "十二三四五六七八九十一二三"])("%s is not a numeral", (raw) =>
    expect(parseNumeral(raw)).toBeUndefined(),
  );
});

describe("arabicNumerals", () => {
  it("rewrites numerals before a unit and after 第, leaves words alone", () => {
    expect(arabicNumerals("一直做AI，做了五年，排名第二，十二月，论文三篇")).toBe(
      "一直做AI，做了5年，排名第2，12月，论文3篇",
    );
    expect(arabicNumerals("统一的标准")).toBe("统一的标准");
  });
});

describe("parseDurationMonths", () => {
  it.each([
    ["五年", 60],
    ["5年", 60],
    ["两年半", 30],
    ["三年多", 36],
    ["18个月", 18],
    ["一年零三个月", 15],
    ["半年", 6],
    ["十二年", 144],
  ])("%s → %d months", (raw, n) => expect(parseDurationMonths(raw)).toBe(n));

  it("is undefined for a calendar year or no duration", () => {
    expect(parseDurationMonths("2019年")).toBeUndefined();
    expect(parseDurationMonths("很久")).toBeUndefined();
  });
});

describe("parseYearMonth", () => {
  it.each([
    ["2019年7月", "2019-07"],
    ["2019年07月", "2019-07"],
    ["19年7月", "2019-07"],
    ["98年9月", "1998-09"],
    ["2019.7", "2019-07"],
    ["2019-07", "2019-07"],
    ["2019/07", "2019-07"],
    ["201907", "2019-07"],
    ["二〇一九年七月", "2019-07"],
    ["二零一九年十二月毕业", "2019-12"],
    ["去年7月", "2023-07"],
    ["今年3月", "2024-03"],
    ["前年6月", "2022-06"],
    ["三年前", "2021-08"],
    ["两年半前", "2022-02"],
    ["18个月前", "2023-02"],
    ["我是2019年7月毕业的", "2019-07"],
  ])("%s → %s", (raw, ym) => expect(parseYearMonth(raw, TODAY)).toEqual({ kind: "month", value: ym }));

  it.each([
    ["2019年毕业", 2019],
    ["前年", 2022],
    ["去年", 2023],
    ["12年毕业", 2012],
  ])("%s is a year whose month is asked", (raw, year) =>
    expect(parseYearMonth(raw, TODAY)).toEqual({ kind: "year", year }),
  );

  it.each(["做了12年", "自评85.5分", "2019年13月", "论文3篇", "北京"])("%s is no date", (raw) =>
    expect(parseYearMonth(raw, TODAY)).toBeUndefined(),
  );

  it("counts months back across a year boundary", () => {
    expect(monthsBefore("2024-02", 3)).toBe("2023-11");
    expect(monthsBefore("2024-12", 12)).toBe("2023-12");
  });
});
