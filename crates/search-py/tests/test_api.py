"""The Python API, through the installed package: build, search with every
option, citations and their check, errors as exceptions with the library's
kinds, threads on one index, and sharded search."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import passage_search as ps

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data") / "seeds"
    shutil.copytree(REPO / "seeds", root)
    return root


@pytest.fixture(scope="module")
def index(corpus: Path) -> ps.Index:
    index_dir = corpus.parent / "index"
    report = ps.build(index_dir, [corpus])
    assert report["created"] and report["passages"] > 10
    return ps.Index(index_dir)


def source_bytes(citation: ps.Citation) -> bytes:
    return Path(citation.path).read_bytes()[citation.byte_start : citation.byte_end]


def test_the_best_hit_is_the_frozen_assets_paragraph_and_its_citation_holds(index: ps.Index) -> None:
    results = index.search("frozen assets", limit=3)
    assert isinstance(results, ps.Results)
    best = results.hits[0]
    assert "frozen Russian assets" in best.text
    assert best.rank == 1 and best.score > 0
    assert source_bytes(best.citation) == best.text.encode()
    assert index.check(best.citation) == "holds"
    for start, end in best.highlights:
        assert best.text.encode()[start:end].lower().startswith((b"frozen", b"asset"))


def test_hits_carry_the_json_contract(index: ps.Index) -> None:
    results = index.search("Umerov", limit=2, explain=True, count=True)
    raw = results.to_dict()
    assert set(raw["hits"][0]) >= {"rank", "score", "text", "highlights", "citation", "boilerplate", "stale"}
    hit = results.hits[0]
    assert hit.citation.to_dict() == {k: v for k, v in raw["hits"][0]["citation"].items() if v is not None}
    assert hit.explanation is not None and hit.explanation["score"] == pytest.approx(hit.score)
    assert results.total_matches is not None and results.total_matches >= len(results.hits)


def test_show_gives_the_cited_passage_in_its_article(index: ps.Index) -> None:
    hit = index.search("frozen assets", limit=1).hits[0]
    shown = index.show(hit.citation, context=1)
    assert shown["location"] == hit.citation.location and shown["stale"] is False
    cited = [p for p in shown["paragraphs"] if p["cited"]]
    assert [p["text"] for p in cited] == [hit.text]
    assert 2 <= len(shown["paragraphs"]) <= 3
    with pytest.raises(ps.SearchError) as unknown:
        index.show("seeds/nothing-here.txt:3")
    assert unknown.value.kind == "citation_not_found"
    with pytest.raises(ps.SearchError) as bad:
        index.show("not a citation at all")
    assert bad.value.kind == "not_a_citation"


def test_a_tampered_citation_does_not_hold(index: ps.Index) -> None:
    hit = index.search("frozen assets", limit=1).hits[0]
    moved = ps.Citation.from_dict({**hit.citation.to_dict(), "byte_start": hit.citation.byte_start + 1})
    assert index.check(moved) != "holds"


def test_every_option_reaches_the_search(index: ps.Index) -> None:
    all_hits = index.search("talks", limit=50)
    per_article = index.search("talks", limit=50, per_article=True)
    ids = [h.citation.doc_id for h in per_article.hits]
    assert len(ids) == len(set(ids)) < len(all_hits.hits)
    page = index.search("talks", limit=2, offset=2)
    assert [h.citation for h in page.hits] == [h.citation for h in all_hits.hits[2:4]]
    assert [h.rank for h in page.hits] == [3, 4]
    assert index.search("talks", sort="newest").sort == "newest"
    faceted = index.search("talks", facets=["source"], count=True)
    assert faceted.facets is not None and "source" in faceted.facets
    assert sum(c.passages for c in faceted.facets["source"]) <= (faceted.total_matches or 0)
    assert index.search("witkof", typos=False).corrections == []
    assert index.search("witkof").corrections[0].replacement == "witkoff"
    assert index.search("talks", highlights=False).hits[0].highlights == []
    assert index.search("talks", feedback=True).hits
    assert index.search("talks", feedback={"docs": 3, "terms": 4}).hits
    doc_id = all_hits.hits[0].citation.doc_id
    only = index.search("talks", limit=50, filters={"id": doc_id})
    assert {h.citation.doc_id for h in only.hits} == {doc_id}
    without = index.search("talks", limit=50, exclude=[("id", doc_id)])
    assert doc_id not in {h.citation.doc_id for h in without.hits}


@pytest.mark.parametrize(
    ("call", "kind"),
    [
        (lambda i: i.search(""), "empty_query"),
        (lambda i: i.search("talks", limit=10**9), "limit_too_large"),
        (lambda i: i.search("talks", colour="red"), "invalid_option"),
        (lambda i: i.search("talks", sort="sideways"), "invalid_option"),
        (lambda i: i.search("talks", filters={"colour": "red"}), "invalid_option"),
        (lambda i: i.search("talks", since="yesterday-ish"), "invalid_option"),
        (lambda i: i.search("x" * 100_000), "query_too_long"),
    ],
)
def test_bad_input_raises_search_error_with_its_kind(index: ps.Index, call, kind: str) -> None:
    with pytest.raises(ps.SearchError) as raised:
        call(index)
    assert raised.value.kind == kind
    assert str(raised.value)


def test_opening_what_is_not_an_index_names_the_problem(tmp_path: Path) -> None:
    with pytest.raises(ps.SearchError) as missing:
        ps.Index(tmp_path / "nowhere")
    assert missing.value.kind == "index_not_found"
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "notes.txt").write_text("mine")
    with pytest.raises(ps.SearchError) as foreign:
        ps.Index(tmp_path / "stuff")
    assert foreign.value.kind == "not_an_index"
    assert (tmp_path / "stuff" / "notes.txt").read_text() == "mine"
    with pytest.raises(ps.SearchError) as no_corpus:
        ps.build(tmp_path / "index", [tmp_path / "no-such-corpus"])
    assert no_corpus.value.kind == "corpus_not_found"


def test_threads_search_one_index_at_once_and_agree(index: ps.Index) -> None:
    queries = ["frozen assets", "Umerov", "talks Miami", "peace plan", "Witkoff"] * 8
    alone = {q: [h.citation for h in index.search(q).hits] for q in set(queries)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda q: (q, index.search(q)), queries))
    for query, results in together:
        assert [h.citation for h in results.hits] == alone[query]


def test_building_releases_the_gil(tmp_path: Path) -> None:
    # While a build runs in another thread, Python code keeps running: the build
    # does not hold the GIL (a call that held it would stop this loop).
    import threading
    import time

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    words = (REPO / "seeds").iterdir().__next__().read_text(encoding="utf-8").split()
    for n in range(400):
        body = " ".join(words[(n * 7) % 50 :][:300])
        (corpus / f"a{n:03}.txt").write_text(f"Title {n}\n\n{body}\n\n{body[::-1]}\n", encoding="utf-8")
    done = threading.Event()
    spans: list = []

    def run() -> None:
        started = time.perf_counter()
        ps.build(tmp_path / "index", [corpus], threads=1)
        spans.append(time.perf_counter() - started)
        done.set()

    ticks = 0
    worker = threading.Thread(target=run)
    worker.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    # About one tick a millisecond while the build ran.
    assert spans[0] > 0.05
    assert ticks >= spans[0] * 1000 * 0.3, (ticks, spans[0])


def test_an_update_reads_only_what_changed(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "seeds"
    shutil.copytree(corpus, root)
    first = ps.build(tmp_path / "index", [root])
    again = ps.build(tmp_path / "index", [root])
    assert first["files_indexed"] > 0 and again["files_indexed"] == 0
    assert again["files_unchanged"] == first["files_indexed"]


def test_shards_answer_like_one_index(corpus: Path, index: ps.Index, tmp_path: Path) -> None:
    shards = []
    for i in range(3):
        ps.build(tmp_path / f"shard{i}", [corpus], shard=(i, 3))
        shards.append(ps.Index(tmp_path / f"shard{i}"))
    assert sum(s.passage_count for s in shards) == index.passage_count
    for query, options in [
        ("frozen assets", {}),
        ("talks Miami", {"per_article": True, "limit": 5}),
        ('"peace plan" -Moscow', {"explain": True}),
        ("witkof security", {"feedback": True}),
        ("talks", {"sort": "oldest", "limit": 4}),
    ]:
        one = index.search(query, **options)
        many = ps.search_shards(shards, query, **options)
        assert [h.citation for h in many.hits] == [h.citation for h in one.hits], query
        assert [h.score for h in many.hits] == pytest.approx([h.score for h in one.hits], rel=1e-5)
        # Step by step, with every value crossing as JSON as between processes.
        stats = ps.merge_statistics(
            ps.Statistics.from_json(s.statistics(query, **options).to_json()) for s in shards
        )
        assert stats.passages == index.passage_count and stats.shards == 3
        if "feedback" in options:
            continue
        parts = [
            ps.ShardResults.from_json(s.search_shard(query, statistics=stats, **options).to_json())
            for s in shards
        ]
        merged = ps.merge_results(parts, statistics=stats, **options)
        assert [h.citation for h in merged.hits] == [h.citation for h in one.hits], query


def test_every_file_has_one_shard(corpus: Path) -> None:
    for path in corpus.iterdir():
        owners = [i for i in range(4) if ps.shard_of(str(path), 4) == i]
        assert len(owners) == 1


def test_the_package_ships_type_information() -> None:
    package = Path(ps.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "_native.pyi").exists()
    assert ps.Index.search.__doc__ and ps.build.__doc__
    assert json.loads(json.dumps(ps.__all__))
