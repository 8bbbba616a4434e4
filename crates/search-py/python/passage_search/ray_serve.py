"""A sharded index served by Ray Serve: one deployment per shard, and a router
that answers ``/api/search`` and ``/api/health`` as ``search serve`` does.

The router runs the two-phase search of :mod:`passage_search`: it asks every
shard for the statistics the query consults, adds them up, asks every shard
for its candidates scored with the sums, and merges them. The answer is the
answer of one index over every shard's articles. A shard that does not answer
(its replica died and Ray is restarting it) is left out, and the answer says
so: ``"shards": {"total": 3, "answered": 2}`` and a warning. It is never passed
off as complete.
"""

# No `from __future__ import annotations`: FastAPI reads the routes' types.

import asyncio
import json
import os
from typing import Any, Dict, List, Optional, Tuple

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from ray import serve

import passage_search as ps
from passage_search import _native

#: CPUs each shard replica and the router reserve. Ray Serve on a small machine
#: waits forever for a deployment that asks for a whole CPU it cannot get: on
#: 2 CPUs, four shards and a router fit at a quarter each. On a real cluster,
#: give shards a whole CPU (a search is single-threaded) and add replicas.
SHARD_CPUS = float(os.environ.get("SEARCH_RAY_SHARD_CPUS", "0.25"))
ROUTER_CPUS = float(os.environ.get("SEARCH_RAY_ROUTER_CPUS", "0.25"))
#: Seconds a shard has to answer one phase before it is counted out.
SHARD_TIMEOUT = float(os.environ.get("SEARCH_RAY_SHARD_TIMEOUT", "10"))

# The parameters of /api/search, as `search serve` names them, and their types.
_BOOLS = {"per_article", "collapse", "typos", "feedback", "count", "explain"}
_INTS = {"limit", "offset"}
_TEXTS = {"q", "sort", "since", "until"}
_MAX_LIMIT = 1000
_MAX_CONTEXT = 1000


def error(status: int, code: str, message: str) -> JSONResponse:
    """An error as `search serve` writes it."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


_SEARCH_STATUS = {
    "empty_query": (400, "empty_query"),
    "nothing_searchable": (400, "nothing_searchable"),
    "invalid_option": (400, "bad_parameter"),
    "query_too_long": (413, "query_too_long"),
    "limit_too_large": (413, "limit_too_large"),
    "index_not_found": (503, "index_missing"),
    "not_an_index": (503, "index_missing"),
    "incomplete": (503, "index_missing"),
    "incompatible": (503, "index_damaged"),
    "corrupt": (503, "index_damaged"),
    "unavailable": (503, "shards_unavailable"),
}


class BadParameter(Exception):
    pass


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    raise BadParameter(f"`{name}` must be true or false, not {value!r}")


def request_of(params: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    """The query and the library's options from the API's parameters."""
    unknown = sorted(set(params) - _BOOLS - _INTS - _TEXTS - {"facets"})
    if unknown:
        raise BadParameter(f"unknown parameter `{unknown[0]}`")
    query = params.get("q")
    if query is None:
        raise BadParameter("the parameter `q` (the query) is missing")
    options: Dict[str, Any] = {}
    for name in _INTS & set(params):
        try:
            options[name] = int(params[name])
        except (TypeError, ValueError):
            raise BadParameter(f"`{name}` must be a whole number, not {params[name]!r}") from None
        if options[name] < 0:
            raise BadParameter(f"`{name}` must be 0 or more")
    if options.get("limit") == 0:
        raise BadParameter("`limit` must be 1 or more")
    for name in _BOOLS & set(params):
        options[name] = _boolean(name, params[name])
    for name in ("sort", "since", "until"):
        if name in params:
            options[name] = str(params[name])
    if "facets" in params:
        facets = params["facets"]
        options["facets"] = facets.split(",") if isinstance(facets, str) else list(facets)
    return str(query), options


@serve.deployment(ray_actor_options={"num_cpus": SHARD_CPUS})
class Shard:
    """One shard's index, opened once per replica."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.index = _native.Index(path)

    @staticmethod
    def _answer(call: Any, *args: Any) -> Dict[str, Any]:
        # An error of the request (the same on every shard) is an answer, not a
        # failure of the shard.
        try:
            return {"ok": call(*args)}
        except _native.SearchFailure as failure:
            kind, message = failure.args
            return {"error": [kind, message]}

    def statistics(self, query: str, options: str) -> Dict[str, Any]:
        return self._answer(self.index.statistics, query, options)

    def feedback_statistics(self, seeds: str) -> Dict[str, Any]:
        return self._answer(self.index.feedback_statistics, seeds)

    def search_shard(self, query: str, options: str) -> Dict[str, Any]:
        return self._answer(self.index.search_shard, query, options)

    def show(self, citation: str, context: int) -> Dict[str, Any]:
        return self._answer(self.index.show, citation, context)

    def health(self) -> Dict[str, Any]:
        import ray

        return {
            "path": self.path,
            "passages": self.index.passage_count,
            "node": ray.get_runtime_context().get_node_id(),
            "pid": os.getpid(),
        }


app = FastAPI()


@serve.deployment(ray_actor_options={"num_cpus": ROUTER_CPUS})
@serve.ingress(app)
class Router:
    """Runs the two phases over every shard and merges."""

    def __init__(self, shards: List[Any], manifest: Dict[str, Any]) -> None:
        self.shards = shards
        self.manifest = manifest

    async def _each(self, method: str, *args: Any) -> List[Optional[Any]]:
        """`method` on every shard; `None` for a shard that failed or timed out.
        A shard's refusal of the request is raised as the request's error."""

        async def one(handle: Any) -> Optional[Any]:
            try:
                return await asyncio.wait_for(
                    getattr(handle, method).remote(*args), timeout=SHARD_TIMEOUT
                )
            except Exception:  # a dead replica, a timeout: counted out below
                return None

        answers = list(await asyncio.gather(*(one(h) for h in self.shards)))
        for answer in answers:
            if isinstance(answer, dict) and "error" in answer:
                raise ps.SearchError(*answer["error"])
        return [a["ok"] if isinstance(a, dict) and "ok" in a else a for a in answers]

    async def _search(self, params: Dict[str, Any]) -> JSONResponse:
        try:
            query, options = request_of(params)
        except BadParameter as bad:
            return error(400, "bad_parameter", str(bad))
        if not query.strip():
            return error(400, "empty_query", "the query is empty: type some words to search for")
        if options.get("limit", 10) + options.get("offset", 0) > _MAX_LIMIT:
            return error(413, "limit_too_large", f"the limit is {_MAX_LIMIT} hits (offset included)")
        started = asyncio.get_running_loop().time()
        try:
            answer, answered = await self._two_phases(query, options)
        except ps.SearchError as failure:
            status, code = _SEARCH_STATUS.get(failure.kind, (500, "search_failed"))
            return error(status, code, str(failure))
        total = len(self.shards)
        if answered < total:
            answer.setdefault("warnings", []).append(
                f"only {answered} of {total} shards answered: these hits and counts "
                "leave out the passages of the others"
            )
        answer["shards"] = {"total": total, "answered": answered}
        answer["took_ms"] = (asyncio.get_running_loop().time() - started) * 1000.0
        return JSONResponse(answer)

    async def _two_phases(self, query: str, options: Dict[str, Any]) -> Tuple[Dict[str, Any], int]:
        plain = json.dumps(options)
        # Phase 1: the statistics. A shard that refuses the query refuses it
        # everywhere: its error is the answer.
        stats = await self._each("statistics", query, plain)
        live = [i for i, s in enumerate(stats) if s is not None]
        if not live:
            raise ps.SearchError("unavailable", "no shard answered: Ray is restarting them")
        merged = _native.merge_statistics([stats[i] for i in live])
        with_stats = dict(options, statistics=json.loads(merged))
        if options.get("feedback"):
            first = dict(with_stats, limit=10, offset=0, per_article=False, highlights=False,
                         check_stale=False, feedback=None, explain=False, count=False,
                         facets=[], sort="relevance")
            first.pop("feedback")
            parts = await self._each("search_shard", query, json.dumps(first))
            seeds_of = json.loads(_native.merge_results([p for p in parts if p], json.dumps(first)))
            seeds = [{"text": h["text"], "score": h["score"]} for h in seeds_of["hits"]]
            words = await self._each("feedback_statistics", json.dumps(seeds))
            later = _native.merge_statistics([w for w in words if w])
            merged = _native.update_statistics(merged, later)
            with_stats = dict(with_stats, statistics=json.loads(merged), seeds=seeds)
        # Phase 2: the candidates, scored with every shard's statistics.
        text = json.dumps(with_stats)
        parts = await self._each("search_shard", query, text)
        answered = [p for i, p in enumerate(parts) if p is not None and i in live]
        merged_results = ps._call(_native.merge_results, answered, text)
        return json.loads(merged_results), len(answered)

    @app.get("/api/search")
    async def search_get(self, request: Request) -> JSONResponse:
        return await self._search(dict(request.query_params))

    @app.post("/api/search")
    async def search_post(self, request: Request) -> JSONResponse:
        try:
            params = await request.json()
        except Exception:
            return error(400, "bad_body", "send the parameters as a JSON object")
        if not isinstance(params, dict):
            return error(400, "bad_body", "send the parameters as a JSON object")
        return await self._search(params)

    @app.get("/api/show")
    async def show(self, request: Request) -> JSONResponse:
        params = dict(request.query_params)
        unknown = sorted(set(params) - {"citation", "context"})
        if unknown:
            return error(400, "bad_parameter", f"unknown parameter `{unknown[0]}`")
        citation = params.get("citation")
        if citation is None:
            return error(400, "bad_parameter", "the parameter `citation` is missing")
        try:
            context = int(params.get("context", 1))
        except ValueError:
            return error(400, "bad_parameter", "`context` must be a whole number")
        if not 0 <= context <= _MAX_CONTEXT:
            return error(400, "bad_parameter", f"`context` may be at most {_MAX_CONTEXT}")
        # The file (or article) lives on one shard: the first that holds it answers.
        answers = await asyncio.gather(
            *(self._one(h, "show", citation, context) for h in self.shards)
        )
        refusals = []
        for answer in answers:
            if answer is None:
                continue
            if "ok" in answer:
                return JSONResponse(json.loads(answer["ok"]))
            refusals.append(answer["error"])
        if len(refusals) < len(self.shards):
            return error(503, "shards_unavailable", "a shard did not answer: try again")
        kind, message = refusals[0]
        if kind == "not_a_citation":
            return error(400, "bad_citation", message)
        return error(404, "unknown_citation", message)

    async def _one(self, handle: Any, method: str, *args: Any) -> Optional[Dict[str, Any]]:
        try:
            return await asyncio.wait_for(getattr(handle, method).remote(*args), timeout=SHARD_TIMEOUT)
        except Exception:
            return None

    @app.get("/api/health")
    async def health(self) -> JSONResponse:
        shards = await self._each("health")
        up = [s for s in shards if s is not None]
        body = {
            "status": "ok" if len(up) == len(shards) else "degraded",
            "index": self.manifest.get("dir"),
            "passages": sum(s["passages"] for s in up),
            "shards": {"total": len(shards), "answered": len(up)},
            "nodes": sorted({s["node"] for s in up}),
        }
        return JSONResponse(body, status_code=200 if up else 503)


def application(manifest_dir: str, replicas: int = 1) -> Any:
    """The Serve application of the sharded index in `manifest_dir`."""
    with open(os.path.join(manifest_dir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    manifest["dir"] = os.path.abspath(manifest_dir)
    for shard in manifest["shards"]:
        shard["path"] = os.path.join(manifest["dir"], shard["dir"])
    shards = [
        Shard.options(name=f"shard-{s['index']}", num_replicas=replicas).bind(s["path"])
        for s in manifest["shards"]
    ]
    return Router.options(name="router").bind(shards, manifest)
