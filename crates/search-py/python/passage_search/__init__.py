"""Passage search over news articles, with citations you can check.

Open an index built by ``search index`` (or by :func:`build`), search it, and get
ranked passages. Each :class:`Hit` carries a :class:`Citation` whose byte range
in its source file holds exactly the passage text; :meth:`Index.check` tells
whether it still does.

>>> import passage_search as ps
>>> index = ps.Index("index")                         # doctest: +SKIP
>>> results = index.search("frozen assets", limit=3)  # doctest: +SKIP
>>> results.hits[0].citation.location                 # doctest: +SKIP
'seeds/....txt:9'

Searches release the GIL: threads may search one :class:`Index` at once.

A sharded index (articles spread over several indexes, see :func:`build` with
``shard``) answers like one index with :func:`search_shards`, or step by step
from another process with :meth:`Index.statistics`, :func:`merge_statistics`,
:meth:`Index.search_shard` and :func:`merge_results`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _native

__all__ = [
    "Citation",
    "Correction",
    "FacetCount",
    "Hit",
    "Index",
    "Results",
    "SearchError",
    "ShardResults",
    "Statistics",
    "build",
    "merge_results",
    "merge_statistics",
    "search_shards",
    "shard_of",
]

PathLike = Union[str, "os.PathLike[str]"]


class SearchError(Exception):
    """A search, a citation check or a build failed.

    ``kind`` names the library's error kind (``index_not_found``,
    ``not_an_index``, ``empty_query``, ``invalid_option``, ``query_too_long``,
    ``limit_too_large``, ``corpus_not_found``, ``locked``, ``corrupt``...);
    ``str(error)`` is the library's message.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _call(function: Any, *args: Any) -> Any:
    try:
        return function(*args)
    except _native.SearchFailure as failure:
        kind, message = failure.args
        raise SearchError(kind, message) from None


@dataclass(frozen=True)
class Citation:
    """Where a passage comes from: its bytes are ``source[byte_start:byte_end]``."""

    doc_id: str
    path: str
    paragraph: int
    line: int
    byte_start: int
    byte_end: int
    part: Optional[int] = None
    title: Optional[str] = None
    source: Optional[str] = None
    date: Optional[str] = None
    url: Optional[str] = None
    author: Optional[str] = None
    authors: Optional[List[str]] = None

    @property
    def location(self) -> str:
        """``PATH:LINE`` (``#N.P`` for a part of a long paragraph)."""
        where = f"{self.path}:{self.line}"
        return f"{where}#{self.paragraph}.{self.part}" if self.part else where

    def to_dict(self) -> Dict[str, Any]:
        """The citation as the JSON contract writes it."""
        return {k: v for k, v in self.__dict__.items() if v is not None}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Citation":
        known = {k: data.get(k) for k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class Hit:
    """One ranked passage, with the fields of the JSON contract."""

    rank: int
    score: float
    text: str
    highlights: List[Tuple[int, int]]
    citation: Citation
    boilerplate: bool
    stale: bool
    explanation: Optional[Dict[str, Any]] = None
    copies: Optional[List[Citation]] = None
    sources: Optional[List[str]] = None

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Hit":
        copies = data.get("copies")
        return cls(
            rank=data["rank"],
            score=data["score"],
            text=data["text"],
            highlights=[(a, b) for a, b in data.get("highlights", [])],
            citation=Citation.from_dict(data["citation"]),
            boilerplate=data["boilerplate"],
            stale=data["stale"],
            explanation=data.get("explanation"),
            copies=None if copies is None else [Citation.from_dict(c) for c in copies],
            sources=data.get("sources"),
        )


@dataclass(frozen=True)
class Correction:
    """A query word that was searched with a close spelling too."""

    word: str
    replacement: str
    surface: str


@dataclass(frozen=True)
class FacetCount:
    """Matching passages and articles with one value of a facet."""

    value: str
    passages: int
    articles: int


@dataclass(frozen=True)
class Results:
    """The answer to one query."""

    query: str
    hits: List[Hit]
    sort: str
    total_matches: Optional[int] = None
    corrections: List[Correction] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    facets: Optional[Dict[str, List[FacetCount]]] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, text: str) -> "Results":
        data = json.loads(text)
        facets = data.get("facets")
        return cls(
            query=data["query"],
            hits=[Hit.from_dict(h) for h in data["hits"]],
            sort=data["sort"],
            total_matches=data.get("total_matches"),
            corrections=[Correction(**c) for c in data.get("corrections", [])],
            warnings=list(data.get("warnings", [])),
            facets=None
            if facets is None
            else {k: [FacetCount(**c) for c in v] for k, v in facets.items()},
            raw=data,
        )

    def to_dict(self) -> Dict[str, Any]:
        """The results as the JSON contract writes them."""
        return self.raw


@dataclass(frozen=True)
class Statistics:
    """The index-wide figures one query consults, from one shard or summed over
    several: send them between processes with :meth:`to_json`."""

    json: str

    @property
    def passages(self) -> int:
        return int(json.loads(self.json)["passages"])

    @property
    def shards(self) -> int:
        return int(json.loads(self.json)["shards"])

    def to_json(self) -> str:
        return self.json

    @classmethod
    def from_json(cls, text: str) -> "Statistics":
        return cls(text)


@dataclass(frozen=True)
class ShardResults:
    """One shard's part of a sharded search, for :func:`merge_results`."""

    json: str

    def to_json(self) -> str:
        return self.json

    @classmethod
    def from_json(cls, text: str) -> "ShardResults":
        return cls(text)


def _options(options: Dict[str, Any]) -> str:
    cleaned: Dict[str, Any] = {}
    for name, value in options.items():
        if value is None:
            continue
        if name == "statistics" and isinstance(value, Statistics):
            value = json.loads(value.json)
        elif name == "filters" or name == "exclude":
            value = _pairs(value)
        cleaned[name] = value
    return json.dumps(cleaned)


def _pairs(value: Any) -> List[List[str]]:
    """Filters as ``[field, value]`` pairs, from pairs or from a mapping of a
    field to one value or a list of values."""
    if isinstance(value, dict):
        pairs = []
        for name, values in value.items():
            for one in [values] if isinstance(values, str) else values:
                pairs.append([name, one])
        return pairs
    return [list(pair) for pair in value]


class Index:
    """An open index. Share one instance across threads: searches release the
    GIL and run at the same time.

    Every keyword of :meth:`search` is optional: ``limit`` (10), ``offset``,
    ``per_article``, ``collapse``, ``typos`` (True), ``check_stale`` (True),
    ``highlights`` (True), ``count``, ``explain``, ``feedback`` (True or a dict of
    ``docs``, ``terms``, ``original_weight``), ``sort`` (``relevance``,
    ``newest``, ``oldest``), ``facets`` (``["source", "author", "date:month"]``),
    ``filters`` and ``exclude`` (``{"source": "Reuters"}`` or
    ``[("author", "Zoë Park")]``), ``dates`` (``["2025-12"]``), ``since`` and
    ``until``. An unknown keyword or a bad value raises :class:`SearchError`
    of kind ``invalid_option``.
    """

    def __init__(self, path: PathLike) -> None:
        self._native = _call(_native.Index, os.fspath(path))

    @classmethod
    def open(cls, path: PathLike) -> "Index":
        """Opens the index in ``path`` (nothing in it is ever written)."""
        return cls(path)

    @property
    def path(self) -> str:
        return os.fspath(self._native.path)

    @property
    def passage_count(self) -> int:
        return int(self._native.passage_count)

    def search(self, query: str, **options: Any) -> Results:
        """Ranked passages for ``query``, with citations."""
        return Results.from_json(_call(self._native.search, query, _options(options)))

    def check(self, citation: Union[Citation, Dict[str, Any]]) -> str:
        """Whether ``citation`` still holds: ``holds``, ``stale``, ``missing`` or
        ``not_indexed``."""
        data = citation.to_dict() if isinstance(citation, Citation) else citation
        return str(_call(self._native.check, json.dumps(data)))

    def show(self, citation: Union[str, Citation], context: int = 1) -> Dict[str, Any]:
        """The cited passage in its article, ``context`` paragraphs on each side,
        checked against its source: what ``search show --format json`` prints
        (``location``, ``citation``, ``paragraphs``, ``stale``, ``problems``)."""
        printed = citation.location if isinstance(citation, Citation) else citation
        return dict(json.loads(_call(self._native.show, printed, context)))

    def statistics(self, query: str, **options: Any) -> Statistics:
        """The figures ``query`` consults on this shard (phase one)."""
        return Statistics(_call(self._native.statistics, query, _options(options)))

    def feedback_statistics(self, seeds: Sequence[Dict[str, Any]]) -> Statistics:
        """The figures of the words feedback's ``seeds`` use (``text``, ``score``)."""
        return Statistics(_call(self._native.feedback_statistics, json.dumps(list(seeds))))

    def search_shard(self, query: str, **options: Any) -> ShardResults:
        """This shard's part of a sharded search; pass ``statistics=`` the
        merged statistics of every shard."""
        return ShardResults(_call(self._native.search_shard, query, _options(options)))


def merge_statistics(parts: Iterable[Statistics]) -> Statistics:
    """Every shard's statistics added up."""
    return Statistics(_call(_native.merge_statistics, [p.json for p in parts]))


def update_statistics(base: Statistics, later: Statistics) -> Statistics:
    """``base`` with ``later``'s figures (a later phase's) taken over it."""
    return Statistics(_call(_native.update_statistics, base.json, later.json))


def merge_results(parts: Iterable[ShardResults], **options: Any) -> Results:
    """The results one index over every shard would give, from each shard's
    :meth:`Index.search_shard` under the same options."""
    return Results.from_json(
        _call(_native.merge_results, [p.json for p in parts], _options(options))
    )


def search_shards(shards: Sequence[Index], query: str, **options: Any) -> Results:
    """Searches ``shards`` (open in this process) as one index: the same hits,
    order and scores as one index over all their articles."""
    natives = [s._native for s in shards]
    return Results.from_json(_call(_native.search_shards, natives, query, _options(options)))


def build(
    index_dir: PathLike,
    roots: Sequence[PathLike],
    *,
    rebuild: bool = False,
    shard: Optional[Tuple[int, int]] = None,
    threads: int = 0,
) -> Dict[str, Any]:
    """Builds or updates the index in ``index_dir`` from the corpus ``roots``.

    ``shard=(i, n)`` indexes only the files of shard ``i`` of ``n`` (by a stable
    hash of each file's recorded path, see :func:`shard_of`). Returns the
    report: files indexed, unchanged and removed, articles, passages...
    """
    report = _call(
        _native.build,
        os.fspath(index_dir),
        [os.fspath(r) for r in roots],
        rebuild,
        shard,
        threads,
    )
    return dict(json.loads(report))


def shard_of(path: str, count: int) -> int:
    """The shard of ``count`` that the file recorded as ``path`` belongs to."""
    return int(_native.shard_of(path, count))
