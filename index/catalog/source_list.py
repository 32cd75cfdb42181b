"""The sources changed from Discord or the terminal, kept in INDEX_DIR/sources.json: the operator's
additions and removals (every server's) and each server's own URLs."""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

log = logging.getLogger(__name__)


SOURCES_FILE = "sources.json"


class SourceList(BaseModel):
    """Changes to ARTICLE_SOURCES made from Discord or the terminal, kept in index_dir/sources.json.

    `added` and `removed` are the operator's and change what every server sees; `guilds` holds what
    each server's moderators added (http(s) URLs only), seen by that server alone.
    """

    version: int = 2
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)  # sources, or single articles' files/URLs
    guilds: dict[str, list[str]] = Field(default_factory=dict)  # guild id -> the URLs it added

    def shared(self, configured: list[str]) -> list[str]:
        """The sources every server answers from: the configured ones and the operator's additions."""
        out: list[str] = []
        for s in [*configured, *self.added]:
            if s not in self.removed and s not in out:
                out.append(s)
        return out

    def effective(self, configured: list[str]) -> list[str]:
        """Every source to read: the shared ones, then each server's own (once, however many added it)."""
        out = self.shared(configured)
        for urls in self.guilds.values():
            out.extend(u for u in urls if u not in out)
        return out

    def of_guild(self, guild_id: int) -> list[str]:
        return list(self.guilds.get(str(guild_id), []))


def read_source_list(index_dir: Path, notes: list[str]) -> SourceList:
    path = index_dir / SOURCES_FILE
    try:
        return SourceList.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return SourceList()
    except (OSError, ValidationError, ValueError) as exc:
        notes.append(f"ignored an unreadable {path}: {str(exc).splitlines()[0]}")
        return SourceList()
