// The WeChat / WeCom building blocks against the fake platform's independent implementation of the protocol:
// signatures, AES envelopes both ways (every message length, so the 32-byte PKCS#7 padding is exercised), XML both
// ways, numbered choices, and byte-bounded splitting; and parsers that never throw on any input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openEnvelope, sealEnvelope, timestampFresh, weixinSignature } from "../../src/bots/weixin/crypto.ts";
import { encodeTexts, readNumberedChoice, TEXT_LIMIT_BYTES } from "../../src/bots/weixin/encode.ts";
import { readXml, writeXml } from "../../src/bots/weixin/xml.ts";
import { fieldsOf, newAesKey, seal, sign, unseal, xmlOf } from "../fakes/fake-weixin.ts";

const KEY = newAesKey();
const APP = "wx1234567890abcdef";

describe("weixin crypto, checked against the fake's own implementation", () => {
  it("signs as the platform does", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.base64String(), (token, ts, nonce, enc) => {
        expect(weixinSignature(token, ts, nonce)).toBe(sign(token, ts, nonce));
        expect(weixinSignature(token, ts, nonce, enc)).toBe(sign(token, ts, nonce, enc));
      }),
    );
  });

  it("opens what the platform seals and the platform opens what it seals, at every length", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (message) => {
        expect(openEnvelope(KEY, seal(KEY, message, APP), APP)).toBe(message);
        expect(unseal(KEY, sealEnvelope(KEY, message, APP))).toEqual({ message, id: APP });
      }),
      { numRuns: 300 },
    );
    for (let n = 0; n < 70; n++)
      expect(openEnvelope(KEY, seal(KEY, "x".repeat(n), APP), APP)).toBe("x".repeat(n));
  });

  it("refuses another app's envelope, another key's, and anything that is not one, without throwing", () => {
    expect(openEnvelope(KEY, seal(KEY, "<xml/>", "wx_other"), APP)).toBeUndefined();
    expect(openEnvelope(newAesKey(), seal(KEY, "<xml/>", APP), APP)).toBeUndefined();
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String({ maxLength: 400 })), (junk) => {
        expect(openEnvelope(KEY, junk, APP)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it("accepts timestamps within five minutes only", () => {
    const now = 1_700_000_000_000;
    expect(timestampFresh("1700000000", now)).toBe(true);
    expect(timestampFresh("1699999701", now)).toBe(true);
    expect(timestampFresh("1699999600", now)).toBe(false);
    expect(timestampFresh("1e9", now)).toBe(false);
    expect(timestampFresh(undefined, now)).toBe(false);
  });
});

describe("weixin XML", () => {
  it("round-trips fields through both writers and readers, ]]> and markup included", () => {
    const name = fc.stringMatching(/^[A-Z][A-Za-z]{0,10}$/);
    fc.assert(
      fc.property(fc.dictionary(name, fc.string({ maxLength: 60 }), { minKeys: 1, maxKeys: 8 }), (fields) => {
        expect(readXml(writeXml(fields))).toEqual(fields);
        expect(fieldsOf(writeXml(fields))).toEqual(fields);
        const plain = Object.fromEntries(
          Object.entries(fields).map(([k, v]) => [k, v.replaceAll("]]>", "")]),
        );
        expect(readXml(xmlOf(plain))).toEqual(plain);
      }),
      { numRuns: 300 },
    );
    expect(readXml(writeXml({ Content: "a]]>b<c>&d", CreateTime: 12 }))).toEqual({
      Content: "a]]>b<c>&d",
      CreateTime: "12",
    });
    expect(readXml("<xml><MsgId>12345678901234567890</MsgId></xml>")).toEqual({
      MsgId: "12345678901234567890",
    });
  });

  it("never throws, and refuses doctypes, entities and oversized bodies", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (junk) => {
        expect(() => readXml(junk)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
    expect(readXml('<!DOCTYPE xml [<!ENTITY e "x">]><xml><A>&e;</A></xml>')).toBeUndefined();
    expect(readXml(`<xml><A>${"a".repeat(70_000)}</A></xml>`)).toBeUndefined();
    expect(readXml("<notxml><A>1</A></notxml>")).toBeUndefined();
  });
});

describe("weixin text", () => {
  it("reads a number as the choice it stands for", () => {
    const offered = ["北京", "浙江", "巴中"];
    expect(readNumberedChoice("2", offered)).toBe("浙江");
    expect(readNumberedChoice(" ３ ", offered)).toBe("巴中");
    expect(readNumberedChoice("1.", offered)).toBe("北京");
    expect(readNumberedChoice("4", offered)).toBe("4");
    expect(readNumberedChoice("0", offered)).toBe("0");
    expect(readNumberedChoice("2年", offered)).toBe("2年");
    expect(readNumberedChoice("2", [])).toBe("2");
  });

  it("splits any text into messages of at most 2048 bytes that give it back, choices numbered on the last", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme", maxLength: 700 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 4 }),
        (lines, choices) => {
          const text = lines.join("\n");
          const texts = encodeTexts([{ text, ...(choices.length ? { choices } : {}) }]);
          for (const t of texts) expect(Buffer.byteLength(t)).toBeLessThanOrEqual(TEXT_LIMIT_BYTES);
          if (choices.length) expect(texts.at(-1)).toContain(`${choices.length}. ${choices.at(-1)}`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
