// fast-check generators of questions as people type them, for the properties of `ask` (any entry point).
import fc from "fast-check";
import { checkQuestion } from "../../src/retrieval/question-input.ts";

/**
 * Questions as people type them: simplified or traditional (么, 麼), full-width forms, pasted markup,
 * stray whitespace and invisible characters, emoji, ligatures and arbitrary code units; only those
 * `checkQuestion` accepts.
 */
export const typedQuestion: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "北京能破格么",
        "能评高工么",
        "麼",
        "么",
        "什麼時候",
        "職稱",
        "巴中",
        "评审费多少",
        "？",
        "ＡＩ",
        "２０２４",
        "　",
        " ",
        "\t",
        "\n",
        "\u200b",
        "<p>",
        "</p>",
        "😀",
        "㍿",
      ),
      fc.string({ unit: "binary", maxLength: 6 }),
    ),
    { minLength: 1, maxLength: 10 },
  )
  .map((parts) => parts.join(""))
  .filter((q) => checkQuestion(q).ok);
