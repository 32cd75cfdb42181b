"""Finding the sentences that answer: BM25+ over passages and sentences (bm25), what each sentence holds
(facts: dates, numbers, amounts, places, people), and the candidates ranked by their fitted features (search)."""
