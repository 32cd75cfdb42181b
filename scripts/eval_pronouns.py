"""Pronoun-sourced quotations on PolNeAR ("...," he said): is the speaker the person the pronoun stands for?

PolNeAR marks the pronoun as the source but not whom it refers to, so the shared scorer cannot judge these
without a key. This script builds a proxy key: the nearest named source of an earlier gold attribution
(within 1,500 characters before the pronoun; a source with a capitalised word that is not a pronoun). In news
"he said" nearly always continues the last person named as a source, so the proxy is right most of the time,
but not always (someone introduced in narration, never quoted before, is missed by it): read it beside a
hand-checked sample. Usage: python scripts/eval_pronouns.py [--split dev|train]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear"
WINDOW = 1500


def _scorer():
    spec = importlib.util.spec_from_file_location("polnear_score", POLNEAR / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def proxy_key(doc: dict, score) -> dict[str, list[str]]:
    """doc_id@content start -> the proxy antecedent's words, for each pronoun-sourced direct quotation."""
    named = sorted(
        (a["source"]["spans"][0][0], a["source"]["text"]) for a in doc["attributions"]
        if a["source"] and a["source"].get("spans") and score.fold(a["source"]["text"]).strip() not in score.PRONOUNS
        and any(w[:1].isupper() for w in score.gold_core(a["source"]["text"]).split())
    )
    key = {}
    for a in doc["attributions"]:
        if a["kind"] != "direct" or not a["source"] or not a["content"] or not a["source"].get("spans"):
            continue
        if score.fold(a["source"]["text"]).strip() not in {"he", "she"}:
            continue
        at = a["source"]["spans"][0][0]
        before = [text for start, text in named if at - WINDOW <= start < at]
        if before:
            key[f"{doc['doc_id']}@{a['content']['spans'][0][0]}"] = [score.gold_core(before[-1])]
    return key


def report(split: str = "dev") -> list[str]:
    if not (POLNEAR / "score.py").exists():
        return [f"PolNeAR pronouns: skipped, {POLNEAR} not found"]
    score = _scorer()
    docs = [json.loads(line) for line in (POLNEAR / f"polnear_{split}_gold.jsonl").read_text().splitlines() if line]
    key: dict[str, list[str]] = {}
    for d in docs:
        key.update(proxy_key(d, score))
    r = score.score(docs, score.run_quotes(sys.executable, docs), key)
    lines = []
    lines.append(f"PolNeAR {split} pronoun sources (he/she; proxy key, the nearest earlier named source): right "
                 f"{r['pronoun_right']}/{r['pronoun_keyed']} ({r['pronoun_right'] / max(r['pronoun_keyed'], 1):.1%})")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    a = ap.parse_args()
    print("\n".join(report(a.split)))


if __name__ == "__main__":
    main()
