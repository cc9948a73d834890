// The clause retriever as a LangChain retriever: documents carry the clause's citation in metadata.
import { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { Citation, Region } from "../shared/domain.ts";
import type { ClauseRetriever } from "./retriever.ts";

/** Metadata of each returned document. */
export interface NoticeDocumentMetadata {
  citation: Citation;
  score: number;
}

export interface NoticeRetrieverInput extends BaseRetrieverInput {
  kb: KnowledgeBase;
  retriever: ClauseRetriever;
  /** Documents per query (default 5). */
  k?: number;
  region?: Region;
}

/** LangChain `BaseRetriever` over the notices' clauses (https://js.langchain.com/docs/concepts/retrievers). */
export class NoticeRetriever extends BaseRetriever<NoticeDocumentMetadata> {
  lc_namespace = ["zhicheng", "retrievers", "notice"];
  private readonly kb: KnowledgeBase;
  private readonly clauseRetriever: ClauseRetriever;
  private readonly k: number;
  private readonly region: Region | undefined;

  static override lc_name(): string {
    return "NoticeRetriever";
  }

  constructor(fields: NoticeRetrieverInput) {
    super(fields);
    this.kb = fields.kb;
    this.clauseRetriever = fields.retriever;
    this.k = fields.k ?? 5;
    this.region = fields.region;
  }

  // The ranking is synchronous; the promise is LangChain's interface.
  override _getRelevantDocuments(query: string): Promise<Array<Document<NoticeDocumentMetadata>>> {
    const hits = this.clauseRetriever.search(query, {
      limit: this.k,
      ...(this.region ? { region: this.region } : {}),
    });
    return Promise.resolve(
      hits.map(
        (h) =>
          new Document<NoticeDocumentMetadata>({
            id: h.clause.clauseId,
            pageContent: h.clause.text,
            metadata: { citation: this.kb.cite(h.clause.clauseId), score: h.score },
          }),
      ),
    );
  }
}
