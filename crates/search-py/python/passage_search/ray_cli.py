"""``search-ray``: build a sharded index with Ray tasks, and serve it with Ray
Serve.

    search-ray build --shards 4 --out sharded/ corpus/
    search-ray serve sharded/ --port 8000 [--address ray://head:10001] [--replicas 2]

``build`` assigns each source file to a shard by a stable hash of its recorded
path, so a re-run updates each shard incrementally, and builds the shards as
parallel Ray tasks (each retried if its worker dies). ``serve`` runs one
deployment per shard and a router with the API of ``search serve``.

Shard folders must be readable at the same path on every node that serves
them: build onto a shared filesystem (NFS, a mounted bucket), or build on the
node that will serve (see the README's "Scaling out").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, Dict, List, Optional

MANIFEST = "manifest.json"
#: Times Ray retries a shard's build task whose worker died.
BUILD_RETRIES = 2


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        sys.exit('search-ray needs Ray: pip install "passage-search[ray]"')
    return ray


def _init(address: Optional[str], num_cpus: Optional[float] = None) -> Any:
    ray = _ray()
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False)
    return ray


def build_shard(index: int, count: int, out: str, roots: List[str], threads: int) -> Dict[str, Any]:
    """Builds (or updates) shard `index` of `count` in `out`/shard-`index`."""
    import passage_search as ps

    folder = os.path.join(out, f"shard-{index}")
    report = ps.build(folder, roots, shard=(index, count), threads=threads)
    import ray

    return {
        "index": index,
        "dir": f"shard-{index}",
        "node": ray.get_runtime_context().get_node_id(),
        "report": report,
        # What the shard holds now, not what this run read.
        "passages": ps.Index(folder).passage_count,
    }


def build(args: argparse.Namespace) -> int:
    import passage_search as ps

    roots = [os.path.abspath(r) for r in args.corpus]
    for root in roots:
        if not os.path.exists(root):
            print(f"search-ray: corpus not found: {root}", file=sys.stderr)
            return 2
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    started = time.monotonic()
    ray = _init(args.address, args.num_cpus)
    task = ray.remote(num_cpus=args.task_cpus, max_retries=BUILD_RETRIES)(build_shard)
    pending = {i: task.remote(i, args.shards, out, roots, args.threads) for i in range(args.shards)}
    built: List[Dict[str, Any]] = []
    failed: List[str] = []
    for i, ref in pending.items():
        try:
            built.append(ray.get(ref))
        except Exception as failure:  # the shard's own error, after retries
            cause = getattr(failure, "cause", None) or failure
            failed.append(f"shard {i}: {cause}")
    manifest = {
        "format": 1,
        "shards": [
            {
                "index": b["index"],
                "dir": b["dir"],
                "passages": b["passages"],
                "files": b["report"]["files_indexed"] + b["report"]["files_unchanged"],
                "built_on": b["node"],
            }
            for b in sorted(built, key=lambda b: b["index"])
        ],
        "count": args.shards,
        "roots": roots,
        "analyzer_version": ps._native.analyzer_version(),
    }
    if not failed:
        with open(os.path.join(out, MANIFEST + ".tmp"), "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2)
        os.replace(os.path.join(out, MANIFEST + ".tmp"), os.path.join(out, MANIFEST))
    took = time.monotonic() - started
    passages = sum(s["passages"] for s in manifest["shards"])
    print(
        json.dumps({"shards": len(built), "failed": failed, "passages": passages, "seconds": took})
    )
    ray.shutdown()
    if failed:
        for line in failed:
            print(f"search-ray: {line}", file=sys.stderr)
        print(
            "search-ray: the shards that were built are kept; fix the cause and run the "
            "same command again (it updates what is there)",
            file=sys.stderr,
        )
        return 1
    return 0


def serve_command(args: argparse.Namespace) -> int:
    manifest = os.path.join(args.dir, MANIFEST)
    if not os.path.exists(manifest):
        print(f"search-ray: {manifest} not found: build it with `search-ray build`", file=sys.stderr)
        return 2
    ray = _init(args.address, args.num_cpus)
    from ray import serve

    from passage_search.ray_serve import application

    serve.start(http_options={"host": args.host, "port": args.port})
    serve.run(application(args.dir, args.replicas), name="search", route_prefix="/")
    print(json.dumps({"serving": f"http://{args.host}:{args.port}", "shards": args.dir}), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        serve.shutdown()
        ray.shutdown()
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="search-ray", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="build a sharded index with Ray tasks")
    b.add_argument("corpus", nargs="+", help="corpus folders or files")
    b.add_argument("--shards", type=int, required=True, help="number of shards")
    b.add_argument("--out", required=True, help="folder of the shards and their manifest")
    b.add_argument("--address", help="Ray cluster address (default: start a local Ray)")
    b.add_argument("--num-cpus", type=float, help="CPUs of a local Ray (default: all)")
    b.add_argument("--task-cpus", type=float, default=1.0, help="CPUs each build task reserves")
    b.add_argument("--threads", type=int, default=1, help="indexing threads per shard")
    s = commands.add_parser("serve", help="serve a sharded index with Ray Serve")
    s.add_argument("dir", help="folder written by `search-ray build`")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--address", help="Ray cluster address (default: start a local Ray)")
    s.add_argument("--num-cpus", type=float, help="CPUs of a local Ray (default: all)")
    s.add_argument("--replicas", type=int, default=1, help="replicas of each shard")
    args = parser.parse_args(argv)
    if args.command == "build":
        if args.shards < 1:
            parser.error("--shards must be 1 or more")
        return build(args)
    return serve_command(args)


if __name__ == "__main__":
    sys.exit(main())
