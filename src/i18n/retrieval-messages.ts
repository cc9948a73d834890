// Chinese messages of the retrieval layer (answers, refusals, question checks).

export const RETRIEVAL_TEXT = {
  noSources: "我的资料（已收录的职称通知）中没有能回答这个问题的内容，无法给出有依据的答复。",
  askWhere: (contacts: string) => `如需进一步咨询，可联系：${contacts}`,
  askLocal: "建议向当地人力资源和社会保障部门或职称评审主管部门咨询。",
  unheldRegion: (places: string, held: string) =>
    `我的资料只收录了${held}的职称通知，没有关于${places}的通知，不能用其他地区的规定代替回答。`,
  unheldDocument: (docs: string) => `该条件由${docs}规定，我的资料中没有该文件，无法告诉您具体内容。`,
  regionLacks: (regions: string, subject: string) =>
    `${regions}的通知中没有关于“${subject}”的规定，不能用其他地区或其他事项的条文代替回答。`,
  noAmount: (regions: string, subject: string) =>
    `${regions}的通知中没有写明${subject}金额，不能用其他地区的标准代替回答。`,
  heldNotices: "已收录",
  yearNotHeld: (years: readonly string[], held: readonly string[]) =>
    `我的资料中没有${years.map((y) => `${y}年`).join("、")}的申报通知，不能用往年的时间和要求代替回答；已收录的是${held.map((t) => `《${t}》`).join("、")}。`,
  uncoveredTopic: (topic: string) =>
    `已收录的职称通知中没有关于${topic}的规定，无法给出有依据的答复。这些通知只涉及职称的申报条件（学历、资历、业绩成果）、申报范围、评审程序和时间节点、申报材料、评审费、继续教育学时和咨询方式。`,
  referringClause: (where: string, text: string) => `通知中的相关原文（${where}）：${text}`,
  answerFrom: (where: string, text: string) => `根据${where}：${text}`,
  alsoFrom: (where: string, text: string) => `另见${where}：${text}`,
  listFrom: (where: string, heading: string, items: readonly string[]) =>
    `根据${where}：${heading}\n${items.join("\n")}`,
  listSeparator: "、",
  input: {
    notText: "问题必须是一段文字。",
    empty: "问题是空的，请输入您想咨询的职称政策问题。",
    tooLong: (max: number) => `问题太长（超过${max}个字），请精简后再问。`,
    noWords: "没有看懂这个问题：请用中文文字描述您想咨询的职称政策问题。",
    latinOnly: "目前只能回答中文提问，请用中文描述您的问题，例如“巴中职称网上申报什么时候截止”。",
  },
} as const;
