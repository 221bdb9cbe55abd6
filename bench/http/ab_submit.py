#!/usr/bin/env python3
"""A/B of the durable submit route between two release builds, both servers up at once and
wrk alternating between them, so drift on a shared machine hits both alike.

    BENCH_A=/path/to/old/pingjia BENCH_B=.build/release/pingjia python3 bench/http/ab_submit.py

Each build gets its own database with 30 days of the demo center and the configuration it
understands (a build from before the rate limits does not know `limits`). Prints req/s and
p99 per round and the medians, for BENCHMARKS.md.
"""
import os, statistics, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_bench as hb  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def main():
    builds = {"A": os.environ["BENCH_A"], "B": os.environ.get("BENCH_B", hb.BINARY)}
    servers = {name: hb.serve(binary, tempfile.mkdtemp(prefix=f"pingjia-ab-{name}-"))[::2] for name, binary in builds.items()}
    results = {name: [] for name in builds}
    try:
        for round_number in range(ROUNDS):
            for name in (builds if round_number % 2 == 0 else reversed(list(builds))):
                results[name].append(hb.wrk(servers[name][1] + "/api/v1/responses", hb.LUA, f"ab{name}{round_number}-{time.time_ns()}", "0"))
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait()
    for name, binary in builds.items():
        rps = [r["rps"] for r in results[name]]
        print(f"| {name}: {binary} | " + " · ".join(f"{x:,.0f}" for x in rps)
              + f" | {statistics.median(rps):,.0f} | {statistics.median(r['p99'] for r in results[name]):.2f} ms |"
              + f" non-2xx {sum(r['non2xx'] for r in results[name])}")


if __name__ == "__main__":
    main()
