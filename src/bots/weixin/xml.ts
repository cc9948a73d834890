// The flat XML WeChat and WeCom speak (`<xml><Name><![CDATA[…]]></Name>…</xml>`), read and written.
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
import { XMLParser } from "fast-xml-parser";

/** Callback bodies are small; anything larger is not one of theirs. */
export const MAX_XML_CHARS = 64 * 1024;

const parser = new XMLParser({
  // Every value as the string sent: a MsgId of 20 digits is no number, and "0012" stays "0012".
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  processEntities: true,
  htmlEntities: false,
  trimValues: false,
});

/** The `<xml>` element's children as strings; undefined for anything else (never throws). */
export function readXml(body: string): Record<string, string> | undefined {
  if (body.length === 0 || body.length > MAX_XML_CHARS || /<!DOCTYPE|<!ENTITY/i.test(body)) return undefined;
  let doc: unknown;
  try {
    doc = parser.parse(body, true);
  } catch {
    return undefined;
  }
  const root = (doc as { xml?: unknown } | undefined)?.xml;
  if (!root || typeof root !== "object" || Array.isArray(root)) return undefined;
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    if (typeof value === "string") fields[name] = value;
    else if (typeof value === "number" || typeof value === "boolean") fields[name] = String(value);
  }
  return fields;
}

/** A CDATA section holding `text` ("]]>" is split across two sections). */
function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}

/** `<xml>` with one child per field, strings in CDATA, numbers bare. */
export function writeXml(fields: Record<string, string | number>): string {
  const children = Object.entries(fields).map(([name, value]) =>
    typeof value === "number" ? `<${name}>${value}</${name}>` : `<${name}>${cdata(value)}</${name}>`,
  );
  return `<xml>${children.join("")}</xml>`;
}
