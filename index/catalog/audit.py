"""The audit log, INDEX_DIR/audit.jsonl: one JSON line per refresh or change of sources, with who did it,
from which server, when and what happened."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from .reports import RefreshReport

log = logging.getLogger(__name__)


AUDIT_FILE = "audit.jsonl"


def record(index_dir: Path | None, report: RefreshReport) -> None:
    """Log the report and, with an index_dir, append it to the audit log (a failure to write is logged)."""
    who = report.actor or "unknown"
    log.info("%s by %s at %s (target %s): %s", report.action, who, report.at.isoformat(), report.target or "all",
             "; ".join(report.lines) or "nothing to do")
    if index_dir is None:
        return
    entry = {"at": report.at.isoformat(), "actor": who, "guild": report.guild_id, "action": report.action,
             "target": report.target, "ok": report.ok, "summary": report.summary(), "lines": report.lines}
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        with open(index_dir / AUDIT_FILE, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError as exc:
        log.error("cannot write the audit log: %s", exc)


def without_host_paths(line: str, configured: list[str]) -> str:
    """`line` with the folders of the configured local sources left out (a file is named by its name)."""
    for source in configured:
        if "://" not in source:
            folder = source if Path(source).is_dir() else str(Path(source).parent)
            line = line.replace(folder.rstrip("/") + "/", "")
    return line
