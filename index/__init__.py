"""Extractive question answering over news articles: retrieval, attribution and answers (no Discord)."""
