#!/usr/bin/env python3
"""HTTP benchmark of a release build of pingjia: wrk on loopback against three routes.

Measures, in one run and against one server process:
  ceiling  GET /bench/noop           a route that does no work (benchmark_route only)
  kiosk    GET /kiosk/W01            the kiosk page
  submit   POST /api/v1/responses    durable inserts (synchronous=FULL, group commit),
                                     each with a fresh client_id
  device   the same, each carrying its window's paired kiosk token (X-Device-Token)
and the server's peak resident memory (VmHWM) under that load. Three more routes show
where the durable path's time goes (diagnostics, not targets):
  deferred GET /bench/deferred        a reply handed over from another thread (suspend/resume)
  rejected POST .../responses 422     decoding and validation, answered at once
  replay   POST .../responses 200     through the writer, but nothing new to write Each figure is the median
of several rounds; rounds alternate between the routes so drift on a shared machine hits
them alike. Prints a Markdown table for BENCHMARKS.md.
"""
import json, os, re, shutil, signal, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# BENCH_BINARY runs another build (say, of an earlier commit) under the same conditions.
BINARY = os.environ.get("BENCH_BINARY", os.path.join(ROOT, ".build", "release", "pingjia"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# Every n-th submission a 差评 (which opens its case in the same transaction); 0: none.
NEGATIVE_EVERY = int(os.environ.get("BENCH_NEGATIVE_EVERY", "0"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
LUA = os.path.join(ROOT, "bench", "http", "post_response.lua")
REJECTED = os.path.join(ROOT, "bench", "http", "post_rejected.lua")
REPLAY = os.path.join(ROOT, "bench", "http", "post_replay.lua")


def run(*args, **kwargs):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kwargs)


def wrk(url, lua=None, tag=None, *script_args):
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url]
    if lua:
        command += ["-s", lua]
    if tag:
        command += ["--", tag, *script_args]
    out = run(*command).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def latency(pct):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps, "p50": latency(50), "p99": latency(99),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def serve(binary, work):
    """A database in `work` with 30 days of the demo center, and `binary` serving it on a
    free port: (server process, database path, base URL)."""
    db = os.path.join(work, "bench.sqlite")
    config = os.path.join(work, "bench.json")
    settings = {"server": {"benchmark_route": True, "threads": os.cpu_count() or 2,
                           "static_root": os.path.join(ROOT, "Public")},
                # wrk posts from one address far faster than any person: limits so high that
                # every post still goes through the limiters but none is flagged or refused.
                "limits": {name: {"ratings": 1_000_000_000, "seconds": 1}
                           for name in ("address", "anonymous_api_refused")}}
    with open(config, "w") as f:
        json.dump(settings, f)
    if subprocess.run([binary, "migrate", "--db", db, "--config", config], capture_output=True).returncode != 0:
        # A build from before the rate limits (BENCH_BINARY) does not know the key.
        del settings["limits"]
        with open(config, "w") as f:
            json.dump(settings, f)
    run(binary, "migrate", "--db", db, "--config", config)
    run(binary, "demo", "--db", db, "--config", config, "--days", "30")
    windows = [f"W{number:02d}" for number in range(1, 21)]
    # Pairing codes for the kiosk-token round; a build from before kiosk pairing has none.
    paired = {window: subprocess.run([binary, "device", "pair", "--window", window, "--db", db, "--config", config],
                                     capture_output=True, text=True) for window in windows}
    codes = {window: done.stdout.split()[-1] for window, done in paired.items() if done.returncode == 0}
    server = subprocess.Popen([binary, "serve", "--db", db, "--config", config, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    port = int(re.search(r":(\d+) ", line).group(1))
    return server, db, f"http://127.0.0.1:{port}", codes


def main():
    work = tempfile.mkdtemp(prefix="pingjia-bench-")
    server, db, base, codes = serve(BINARY, work)
    before = int(run("sqlite3", db, "select count(*) from response").stdout)
    tokens = os.path.join(work, "devices.txt")
    with open(tokens, "w") as f:
        for window, code in codes.items():
            # Pairing as a tablet does it: the code posted to /kiosk/pair, the token in the cookie.
            paired = run("curl", "-s", "-o", "/dev/null", "-D", "-", "-d", f"code={code}", base + "/kiosk/pair").stdout
            token = re.search(r"pingjia_device=([0-9a-f]{64})", paired).group(1)
            f.write(f"{window} {token}\n")
    results = {"ceiling": [], "kiosk": [], "submit": [], "device": [], "commented": [], "deferred": [], "rejected": [], "replay": []}
    try:
        for round_number in range(ROUNDS):
            results["ceiling"].append(wrk(base + "/bench/noop"))
            results["kiosk"].append(wrk(base + "/kiosk/W01"))
            results["submit"].append(wrk(base + "/api/v1/responses", LUA, f"r{round_number}-{time.time_ns()}", str(NEGATIVE_EVERY)))
            results["device"].append(wrk(base + "/api/v1/responses", LUA, f"d{round_number}-{time.time_ns()}", str(NEGATIVE_EVERY), "-", tokens))
            results["commented"].append(wrk(base + "/api/v1/responses", LUA, f"c{round_number}-{time.time_ns()}", "0", "comment"))
        rss = peak_rss_mb(server.pid)
        for round_number in range(ROUNDS):
            results["deferred"].append(wrk(base + "/bench/deferred"))
            results["rejected"].append(wrk(base + "/api/v1/responses", REJECTED))
            results["replay"].append(wrk(base + "/api/v1/responses", REPLAY))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    stored = int(run("sqlite3", db, "select count(*) from response").stdout) - before
    durability = run("sqlite3", db, "pragma journal_mode").stdout.strip()
    # A run writes hundreds of megabytes; nothing in them is needed once counted.
    shutil.rmtree(work, ignore_errors=True)

    def median(route, key):
        return statistics.median(r[key] for r in results[route])

    ceiling = median("ceiling", "rps")
    rows = []
    for route, label in [("ceiling", "GET /bench/noop (ceiling)"), ("kiosk", "GET /kiosk/W01"),
                         ("submit", "POST /api/v1/responses (durable)"),
                         ("device", "POST /api/v1/responses with a paired kiosk's X-Device-Token (durable)"),
                         ("commented", "POST /api/v1/responses with a 30-character comment (durable)"),
                         ("deferred", "diagnostic: GET /bench/deferred (suspend/resume only)"),
                         ("rejected", "diagnostic: POST rejected with 422 (decode + validate)"),
                         ("replay", "diagnostic: POST replay, 200 (writer, nothing to write)")]:
        rps = median(route, "rps")
        rows.append(f"| {label} | {rps:,.0f} | {rps / ceiling:.0%} | {median(route, 'p50'):.2f} ms | {median(route, 'p99'):.2f} ms |")
    submitted = sum(r["rps"] for r in results["submit"])
    errors = {route: sum(r["non2xx"] for r in runs) for route, runs in results.items() if route != "rejected"}
    print(f"wrk -t2 -c{CONNECTIONS} -d{DURATION}, median of {ROUNDS} rounds, server threads = {os.cpu_count()}, "
          f"{os.cpu_count()} cores shared with wrk, journal_mode={durability}, synchronous=FULL\n")
    print("| route | req/s | of ceiling | p50 | p99 |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    if NEGATIVE_EVERY:
        print(f"\nEvery {NEGATIVE_EVERY}th submission was a 差评 and opened its case.")
    print(f"\nPeak RSS of the server under the ceiling, kiosk and submit load: {rss:.1f} MB")
    print(f"Rows inserted by the submit rounds, with and without comments: {stored:,}; non-2xx answers: {errors}")
    if any(errors.values()):
        sys.exit("some requests failed")


if __name__ == "__main__":
    main()
