"""search-ray, end to end: a sharded build with Ray tasks, a Ray Serve
application answering like one index, a replica killed under load, and two Ray
nodes on this machine.

These tests need Ray (``pip install "./crates/search-py[ray]"``); `.ci/run`
installs it, so they never skip there."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import passage_search as ps

REPO = Path(__file__).resolve().parents[3]
SEARCH_RAY = str(Path(sys.executable).with_name("search-ray"))
RAY = str(Path(sys.executable).with_name("ray"))
OUTLETS = ["Reuters", "Associated Press", "BBC News", "Kyiv Independent"]


def make_corpus(root: Path, articles: int = 24) -> Path:
    """Articles made of the seeds' paragraphs, several outlets and dates."""
    paragraphs: List[str] = []
    for seed in sorted((REPO / "seeds").iterdir()):
        text = seed.read_text(encoding="utf-8")
        paragraphs += [p.strip() for p in text.split("\n\n") if len(p.strip()) > 60]
    rng = random.Random(7)
    root.mkdir(parents=True)
    for n in range(articles):
        chosen = rng.sample(paragraphs, k=min(4, len(paragraphs)))
        body = "\n\n".join(chosen)
        front = f"---\nsource: {OUTLETS[n % len(OUTLETS)]}\ndate: 2025-12-{1 + n % 9:02d}\n---\n"
        (root / f"wire-{n:02d}.md").write_text(f"{front}Report {n}\n\n{body}\n", encoding="utf-8")
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> Tuple[int, Dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def search(port: int, **params: Any) -> Tuple[int, Dict[str, Any]]:
    query = urllib.parse.urlencode({k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()})
    return get(f"http://127.0.0.1:{port}/api/search?{query}")


def wait_healthy(port: int, server: subprocess.Popen, shards: int, timeout: float = 240) -> Dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"search-ray serve exited: {server.stdout.read() if server.stdout else ''}")
        try:
            status, body = get(f"http://127.0.0.1:{port}/api/health")
            if status == 200 and body["shards"]["answered"] == shards:
                return body
        except (urllib.error.URLError, ConnectionError, json.JSONDecodeError, OSError):
            pass
        time.sleep(1)
    raise AssertionError("the sharded service did not become healthy")


def ray_build(out: Path, corpus: Path, shards: int = 3) -> subprocess.CompletedProcess:
    """`search-ray build` on a local Ray of 2 CPUs."""
    return subprocess.run(
        [SEARCH_RAY, "build", "--shards", str(shards), "--out", str(out), "--num-cpus", "2", str(corpus)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[Path, Path, ps.Index]]:
    base = tmp_path_factory.mktemp("ray")
    corpus = make_corpus(base / "corpus")
    single_dir = base / "single"
    ps.build(single_dir, [corpus])
    out = base / "sharded"
    done = ray_build(out, corpus)
    assert done.returncode == 0, done.stderr
    yield out, corpus, ps.Index(single_dir)


QUERIES: List[Dict[str, Any]] = [
    {"q": "frozen assets"},
    {"q": "Umerov talks", "limit": 5, "per_article": True},
    {"q": '"peace plan" -Moscow', "explain": True},
    {"q": "witkof security", "count": True},
    {"q": "talks Miami", "feedback": True},
    {"q": "talks", "sort": "newest", "limit": 7, "offset": 2},
    {"q": "assets", "facets": "source", "count": True},
]


def library_options(params: Dict[str, Any]) -> Dict[str, Any]:
    options = {k: v for k, v in params.items() if k != "q"}
    if "facets" in options:
        options["facets"] = options["facets"].split(",")
    return options


def test_build_writes_a_manifest_and_each_file_lands_in_one_shard(built: Tuple[Path, Path, ps.Index]) -> None:
    out, corpus, single = built
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["count"] == 3 and len(manifest["shards"]) == 3
    assert manifest["roots"] == [str(corpus)]
    assert manifest["analyzer_version"] >= 1
    assert sum(s["passages"] for s in manifest["shards"]) == single.passage_count
    assert sum(s["files"] for s in manifest["shards"]) == len(list(corpus.iterdir()))
    # A re-run updates: nothing is read again.
    again = ray_build(out, corpus)
    assert again.returncode == 0, again.stderr
    again_manifest = json.loads((out / "manifest.json").read_text())
    assert [s["passages"] for s in again_manifest["shards"]] == [s["passages"] for s in manifest["shards"]]


def test_a_missing_corpus_fails_the_build_with_its_name(tmp_path: Path) -> None:
    done = ray_build(tmp_path / "o", tmp_path / "nope", shards=2)
    assert done.returncode != 0
    assert "corpus not found" in done.stderr


def test_a_shard_that_cannot_be_built_fails_the_command_and_the_others_are_kept(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", articles=8)
    out = tmp_path / "sharded"
    # Shard 1's folder holds someone else's files: it must not be touched.
    (out / "shard-1").mkdir(parents=True)
    (out / "shard-1" / "notes.txt").write_text("mine")
    done = ray_build(out, corpus)
    assert done.returncode == 1
    assert "shard 1:" in done.stderr and "not a search index" in done.stderr, done.stderr
    assert (out / "shard-1" / "notes.txt").read_text() == "mine"
    for kept in (0, 2):
        assert ps.Index(out / f"shard-{kept}").passage_count >= 0
    assert not (out / "manifest.json").exists()


def test_the_router_answers_like_one_index_and_survives_a_killed_replica(built: Tuple[Path, Path, ps.Index]) -> None:
    out, _, single = built
    port = free_port()
    server = subprocess.Popen(
        [SEARCH_RAY, "serve", str(out), "--port", str(port), "--num-cpus", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = wait_healthy(port, server, 3)
        assert health["passages"] == single.passage_count
        for params in QUERIES:
            status, body = search(port, **params)
            assert status == 200, body
            one = single.search(params["q"], **library_options(params))
            assert body["shards"] == {"total": 3, "answered": 3}
            assert [h["citation"] for h in body["hits"]] == [h.citation.to_dict() | {"title": h.citation.title} for h in one.hits], params
            assert [h["score"] for h in body["hits"]] == pytest.approx([h.score for h in one.hits], rel=1e-5)
            assert body.get("total_matches") == one.total_matches
            if "facets" in params:
                assert body["facets"] == one.raw["facets"]
        # /api/show finds the shard that holds the cited file.
        top = single.search("frozen assets", limit=1).hits[0]
        status, shown = get(f"http://127.0.0.1:{port}/api/show?" + urllib.parse.urlencode({"citation": top.citation.location}))
        assert status == 200, shown
        assert shown == single.show(top.citation.location, context=1)
        status, body = get(f"http://127.0.0.1:{port}/api/show?citation=nowhere.txt:3")
        assert status == 404 and body["error"]["code"] == "unknown_citation"
        status, body = get(f"http://127.0.0.1:{port}/api/show?citation=" + urllib.parse.quote("not a citation"))
        assert status == 400 and body["error"]["code"] == "bad_citation"
        # Errors as `search serve` writes them.
        assert search(port, q="")[0] == 400
        status, body = search(port, q="talks", colour="red")
        assert status == 400 and body["error"]["code"] == "bad_parameter"
        status, body = search(port, q="talks", limit=5000)
        assert status == 413 and body["error"]["code"] == "limit_too_large"
        status, body = search(port, q="talks", sort="sideways")
        assert status == 400 and body["error"]["code"] == "bad_parameter"

        # Kill one shard's replica while queries run: every answer is complete,
        # or says it is not.
        answers: List[Tuple[int, Dict[str, Any]]] = []
        running = True

        def load() -> None:
            while running:
                answers.append(search(port, q="frozen assets", limit=20))

        threads = [threading.Thread(target=load) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(1)
        killed = kill_replica("shard-1")
        time.sleep(8)
        running = False
        for t in threads:
            t.join()
        assert killed
        full = single.search("frozen assets", limit=20)
        partial = 0
        for status, body in answers:
            assert status == 200, body
            shards = body["shards"]
            if shards["answered"] == shards["total"]:
                assert [h["citation"]["path"] for h in body["hits"]] == [h.citation.path for h in full.hits]
            else:
                partial += 1
                assert any("shards answered" in w for w in body.get("warnings", []))
        # Ray restarts the replica: complete answers come back.
        wait_healthy(port, server, 3)
        status, body = search(port, q="frozen assets", limit=20)
        assert status == 200 and body["shards"]["answered"] == 3
        print(f"{len(answers)} answers under load, {partial} partial")
    finally:
        stop(server)


def kill_replica(deployment: str) -> bool:
    """Kills the process of one replica of `deployment` (SIGKILL: a crash)."""
    done = subprocess.run(
        ["pgrep", "-f", f"ray::ServeReplica:search:{deployment}"], capture_output=True, text=True
    )
    pids = [int(p) for p in done.stdout.split()]
    for pid in pids[:1]:
        os.kill(pid, signal.SIGKILL)
    return bool(pids)


def test_two_ray_nodes_serve_shards_from_both_and_answer_like_one_index(built: Tuple[Path, Path, ps.Index], tmp_path: Path) -> None:
    out, _, single = built
    gcs_port = free_port()
    address = f"127.0.0.1:{gcs_port}"
    # Two nodes of one machine, on loopback: no token between them.
    env = dict(os.environ, RAY_AUTH_MODE="disabled")
    head = subprocess.run(
        [RAY, "start", "--head", f"--port={gcs_port}", "--num-cpus=1", "--include-dashboard=false", "--disable-usage-stats"],
        capture_output=True, text=True, timeout=180, env=env,
    )
    assert head.returncode == 0, head.stderr
    port = free_port()
    server: Optional[subprocess.Popen] = None
    try:
        worker = subprocess.run(
            [RAY, "start", f"--address={address}", "--num-cpus=1", "--disable-usage-stats"],
            capture_output=True, text=True, timeout=180, env=env,
        )
        assert worker.returncode == 0, worker.stderr
        # Each shard replica takes more than half a node's CPU: Ray must put the
        # three on both nodes (the router takes a little on one of them).
        serve_env = dict(env, SEARCH_RAY_SHARD_CPUS="0.4", SEARCH_RAY_ROUTER_CPUS="0.05")
        sharded = tmp_path / "two"
        shutil.copytree(out, sharded)
        server = subprocess.Popen(
            [SEARCH_RAY, "serve", str(sharded), "--port", str(port), "--address", address],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=serve_env,
        )
        health = wait_healthy(port, server, 3)
        assert len(health["nodes"]) == 2, health
        for params in QUERIES[:4]:
            status, body = search(port, **params)
            assert status == 200, body
            one = single.search(params["q"], **library_options(params))
            assert [h["citation"]["path"] for h in body["hits"]] == [h.citation.path for h in one.hits]
            assert [h["score"] for h in body["hits"]] == pytest.approx([h.score for h in one.hits], rel=1e-5)
    finally:
        if server is not None:
            stop(server)
        subprocess.run([RAY, "stop", "--force"], capture_output=True, timeout=120)
