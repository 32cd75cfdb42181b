"""An article's text and words: the text as decoded with its paragraphs and sentences (article, segment,
html), display-only tidying (display), and the one tokenizer with its helpers (tokenize, spelling,
related)."""
