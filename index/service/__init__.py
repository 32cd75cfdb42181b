"""The service the bot and the terminal chat talk to: questions answered from what each server sees,
and the changes (refresh, add, remove) that build, swap and save the index.

    qa.py       QAService: the serving state behind one reference, the one path every change takes
    views.py    the state with each article's visibility, and a View per server
    limits.py   who asks (Caller), refusals, the refresh rate limit
    memory.py   the collector paused during a change; the replaced index freed off the event loop
    reading.py  what a change reads and writes (sources, the source list on disk, the saved index)
    sync.py     running its coroutines from synchronous code
"""

from ..catalog.audit import AUDIT_FILE
from ..catalog.reports import ArticleChange, ArticleInfo, CorpusInfo, RefreshReport, ago
from ..catalog.source_list import SOURCES_FILE, SourceList
from .limits import Caller, RefreshLimiter
from .qa import QAService
from .sync import run_blocking
from .views import View

__all__ = ["AUDIT_FILE", "SOURCES_FILE", "ArticleChange", "ArticleInfo", "Caller", "CorpusInfo", "QAService",
           "RefreshLimiter", "RefreshReport", "SourceList", "View", "ago", "run_blocking"]
