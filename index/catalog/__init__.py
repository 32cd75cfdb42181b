"""Where articles come from and how they are kept.

    sources.py      files, folders and URLs read into Articles (one Loaded or Failure per article)
    fetch.py        the fenced HTTP fetcher: schemes, hosts as aiohttp reads them, addresses at connect time
    source_list.py  the operator's and each server's changes to ARTICLE_SOURCES (sources.json)
    refresh.py      a refresh as pure functions: merge what was read with what serves, diff, staleness
    reports.py      what a change did and what the index holds (the models the bot shows)
    audit.py        audit.jsonl: who changed what, from which server, when
    snapshot.py     the saved index: the manifest, save and load, every file checked before it is trusted
    segments.py     its pickled files: one per article (segments/), then the corpus-wide part
    pages.py        the text of each URL article at its last good fetch (pages/)
    files.py        atomic writes, the folder's OS lock, leftovers of a killed save
"""
