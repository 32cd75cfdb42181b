"""A process adopting the index another process saved in the same INDEX_DIR (index.service.follow)."""

from __future__ import annotations

import logging

from index.service import QAService

STORY = "Ferry news\n\nThe ferry to Hel stops on {day} because of dredging in the harbour.\n"


async def test_another_process_s_save_is_served_after_follow_and_nothing_else_is_reloaded(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ferry.txt").write_text(STORY.format(day="1 December"))
    one = QAService.open([str(folder)], tmp_path / "index")
    two = QAService.open([str(folder)], tmp_path / "index")  # loaded what one saved
    assert "loaded the saved index" in two.startup[-1]
    assert await two.follow_saved() is None  # nothing new since it loaded
    corpus = two.corpus

    (folder / "ferry.txt").write_text(STORY.format(day="9 January"))
    report = await one.refresh()
    assert report.saved and "9 January" in one.ask("When does the ferry stop?").answer.text
    assert await one.follow_saved() is None  # its own save: nothing to adopt
    assert "1 December" in two.ask("When does the ferry stop?").answer.text  # not yet looked

    line = await two.follow_saved()
    assert line is not None and "another process saved" in line and "1 articles" in line
    assert "9 January" in two.ask("When does the ferry stop?").answer.text and two.corpus is not corpus
    assert two.record("ferry").content_hash == one.record("ferry").content_hash
    assert await two.follow_saved() is None  # once


async def test_a_save_from_other_article_sources_is_not_followed_and_said_once(tmp_path, caplog):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "ferry.txt").write_text(STORY.format(day="1 December"))
    (b / "ferry.txt").write_text(STORY.format(day="2 December"))
    mine = QAService.open([str(a)], tmp_path / "index")
    QAService.open([str(b)], tmp_path / "index")  # another configuration saves over it
    with caplog.at_level(logging.WARNING, logger="index.service.follow"):
        assert await mine.follow_saved() is None
        assert await mine.follow_saved() is None
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1 and "other ARTICLE_SOURCES" in said[0]
    assert "1 December" in mine.ask("When does the ferry stop?").answer.text


BUS = "Bus news\n\nThe night bus to Gdynia runs again from {day} after the repairs.\n"


def _two_processes(tmp_path):
    """A folder of two articles and two services over one INDEX_DIR, as two bot processes have."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ferry.txt").write_text(STORY.format(day="1 December"))
    (folder / "bus.txt").write_text(BUS.format(day="3 March"))
    one = QAService.open([str(folder)], tmp_path / "index")
    two = QAService.open([str(folder)], tmp_path / "index")
    return folder, one, two


async def test_a_change_builds_on_what_another_process_saved_never_over_it(tmp_path):
    folder, one, two = _two_processes(tmp_path)
    (folder / "ferry.txt").write_text(STORY.format(day="9 January"))
    (folder / "bus.txt").write_text(BUS.format(day="4 April"))
    assert (await one.refresh("ferry", operator=True)).saved
    # two has not polled: its refresh of another article starts from one's save, not from its own older index
    assert (await two.refresh("bus", operator=True)).saved
    assert "9 January" in two.ask("When does the ferry stop?").answer.text
    await one.follow_saved()
    assert "9 January" in one.ask("When does the ferry stop?").answer.text
    assert "4 April" in one.ask("When does the night bus run again?").answer.text


async def test_an_article_removed_through_one_process_does_not_come_back_through_another(tmp_path):
    folder, one, two = _two_processes(tmp_path)
    (folder / "bus.txt").unlink()
    await one.refresh(operator=True)
    assert [a.id for a in one.corpus.articles] == ["ferry"]
    await two.refresh(operator=True)  # before its poll
    assert [a.id for a in two.corpus.articles] == ["ferry"]
    await one.follow_saved()
    assert [a.id for a in one.corpus.articles] == ["ferry"]
