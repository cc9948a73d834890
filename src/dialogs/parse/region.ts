// Regions: 北京; 浙江 and its cities; 巴中 (四川); anywhere else is named so we can say we hold no notice.
import type { Region } from "../../shared/domain.ts";

/** A region we hold notices for, or a place we recognise but hold none for. */
export type RegionParse = { kind: "region"; value: Region } | { kind: "unsupported"; place: string };

const ZHEJIANG = /浙江|杭州|宁波|温州|嘉兴|湖州|绍兴|金华|衢州|舟山|台州|丽水|义乌|萧山|余杭|滨江/;
const BAZHONG = /巴中|巴州区|恩阳|通江|南江|平昌/;
const SICHUAN =
  /四川|成都|绵阳|德阳|宜宾|泸州|南充|达州|乐山|自贡|攀枝花|广元|遂宁|内江|眉山|广安|雅安|资阳|凉山|阿坝|甘孜/;
const ELSEWHERE =
  /上海|天津|重庆|河北|山西|内蒙古?|辽宁|吉林|黑龙江|江苏|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|海南|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|香港|澳门|台湾|深圳|广州|南京|苏州|武汉|西安|长沙|郑州|济南|青岛|合肥|厦门|福州|沈阳|大连|哈尔滨|长春|昆明|贵阳|南宁|石家庄|太原|无锡|东莞|佛山/;

/** The region a text names, if any (`text` already normalised). */
export function parseRegion(text: string): RegionParse | undefined {
  if (BAZHONG.test(text)) return { kind: "region", value: "sichuan-bazhong" };
  if (ZHEJIANG.test(text)) return { kind: "region", value: "zhejiang" };
  if (/北京|帝都/.test(text)) return { kind: "region", value: "beijing" };
  const sichuan = SICHUAN.exec(text);
  if (sichuan) return { kind: "unsupported", place: sichuan[0] === "四川" ? "四川其他地区" : sichuan[0] };
  const other = ELSEWHERE.exec(text);
  if (other) return { kind: "unsupported", place: other[0] };
  return undefined;
}
