"""`make bench`: build the dataset, start the production server (granian) on a free loopback
port, and measure the main pages and API lists at 1 and 4 concurrent clients: latency p50,
p95, p99, throughput, and the SQL queries each request runs. Results go to bench/results/ as
JSON; `--compare earlier.json` prints the ratios against an earlier run.

    python -m bench.run [--scale 1] [--database sqlite|postgres] [--requests 200] [--workers 2]
                        [--rounds 3] [--reuse] [--compare earlier.json] [--out results.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BUDGET_MS = 100.0


def database_url(kind: str, scale: float, reuse: bool = False) -> str:
    if kind == "postgres":
        return os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coopgov_bench"
        )
    path = ROOT / "var" / "bench" / f"bench-{scale:g}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in () if reuse else ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def reset_postgres(url: str) -> None:
    """A fresh bench database on the local server."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def setup(scale: float, reuse: bool = False) -> dict[str, Any]:
    """Migrate, generate, and return what the load needs: the URLs to measure, a session
    cookie, an API token, and the query count of each URL."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.dataset import generate, sizes
    from coopgov.bodies.models import Body
    from coopgov.core import actions as core_actions
    from coopgov.core.models import Member, Organisation, Person
    from coopgov.dossiers.models import Dossier
    from coopgov.meetings.models import Meeting
    from coopgov.strategy.models import Plan

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.perf_counter()
    existing = Organisation.objects.order_by("pk").first() if reuse else None
    org = existing or generate(scale)
    if connection.vendor == "postgresql":
        # What autovacuum does in the minutes after a large import, done now so that it does
        # not run during the measures.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    generated = time.perf_counter() - started
    claire = Person.objects.get(organisation=org, email="claire.vandenberghe@example.org")
    assert claire.user is not None
    _token, raw = core_actions.create_api_token(claire.user, name="bench")
    client = Client()
    client.force_login(claire.user)
    cookie = client.cookies["sessionid"].value
    board = Body.objects.get(organisation=org, code="ca")
    meeting = Meeting.objects.filter(kind__body=board, status="held").order_by("-starts_at").first()
    dossier = (
        Dossier.objects.filter(organisation=org, title__startswith="Dossier 1").first()
        or Dossier.objects.filter(organisation=org).first()
    )
    plan = Plan.objects.get(organisation=org, status="approved")
    member = Member.objects.filter(organisation=org).order_by("-number").first()
    person = Person.objects.get(organisation=org, email="marc.delvaux@example.org")
    year = meeting.starts_at.year if meeting else 2025
    code = org.code
    api = f"/api/v1/organisations/{code}"
    pages = {
        "body composition": f"/{code}/bodies/ca/",
        "meeting page": meeting.get_absolute_url() if meeting else f"/{code}/meetings/",
        "dossier page": dossier.get_absolute_url() if dossier else f"/{code}/dossiers/",
        "decision register": f"/{code}/decisions/",
        "decision register, filtered": f"/{code}/decisions/?body=ca&year={year}&adopted=yes",
        "decision register, search": f"/{code}/decisions/?text=budget",
        "strategy dashboard": plan.get_absolute_url(),
        "offers": f"/{code}/offers/",
        "activities": f"/{code}/activities/",
        "person page": person.get_absolute_url(),
        "member list": f"/{code}/members/",
        "member search": f"/{code}/members/?q={member.person.last_name if member and member.person else 'Martin'}",
        "API decisions": f"{api}/decisions",
        "API dossiers": f"{api}/dossiers",
        "API actions": f"{api}/actions",
        "API members": f"{api}/members",
        "API activities": f"{api}/offers/activities",
        "API plans": f"{api}/strategy/plans",
    }
    queries = {}
    for name, url in pages.items():
        headers = {"Authorization": f"Bearer {raw}"} if url.startswith("/api/") else {}
        client.get(url, headers=headers)  # caches warm up as in a running server
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        queries[name] = len(captured)
    return {
        "pages": pages,
        "queries": queries,
        "cookie": cookie,
        "token": raw,
        "sizes": sizes(scale),
        "generated_seconds": round(generated, 1),
    }


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "coopgov.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-ws",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not start")


class Client:
    """One simulated person: a persistent HTTP/1.1 connection, as a browser keeps."""

    def __init__(self, base: str, headers: dict[str, str]) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.headers = headers

    def fetch(self, path: str) -> float:
        started = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        return (time.perf_counter() - started) * 1000


def measure(
    base: str, path: str, headers: dict[str, str], clients: int, requests: int
) -> dict[str, float]:
    people = [Client(base, headers) for _ in range(clients)]
    for person in people:
        person.fetch(path)  # connected and warmed up
    latencies: list[float] = []
    lock = threading.Lock()

    def one(person: Client) -> None:
        for _ in range(requests // clients):
            elapsed = person.fetch(path)
            with lock:
                latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, people))
    wall = time.perf_counter() - started
    for person in people:
        person.connection.close()
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "p50": round(statistics.median(latencies), 1),
        "p95": round(cuts[94], 1),
        "p99": round(cuts[98], 1),
        "throughput": round(len(latencies) / wall, 1),
    }


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def compare(current: dict[str, Any], earlier_path: Path) -> None:
    earlier = json.loads(earlier_path.read_text())
    print(f"\nRatios against {earlier_path.name} (current / earlier; below 1 is faster):")
    for name, result in current["pages"].items():
        before = earlier.get("pages", {}).get(name)
        if not before:
            continue
        ratios = [
            f"p95@{c}: {result[c]['p95'] / before[c]['p95']:.2f}"
            for c in ("1", "4")
            if before.get(c, {}).get("p95")
        ]
        print(f"  {name:32} {'  '.join(ratios)}")


def markdown(output: dict[str, Any]) -> str:
    """The results as the table of docs/performance.md."""
    lines = [
        f"Commit `{output['commit']}`, {output['date']} UTC, {output['machine']}, Python "
        f"{output['python']}, {output['database']}, scale {output['scale']:g} "
        f"({', '.join(f'{k} {v:,}' for k, v in output['sizes'].items())}), granian with "
        f"{output['workers']} workers, {output['requests_per_measure']} requests per measure, "
        f"medians of {output.get('rounds', 1)} rounds.",
        "",
        "| Page or API list | p50 @1 | p95 @1 | p99 @1 | p50 @4 | p95 @4 | p99 @4 | req/s @4 | queries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, result in output["pages"].items():
        one, four = result["1"], result["4"]
        mark = "" if four["p95"] <= BUDGET_MS else " ✗"
        lines.append(
            f"| {name} | {one['p50']} | {one['p95']} | {one['p99']} | {four['p50']} | "
            f"{four['p95']}{mark} | {four['p99']} | {four['throughput']} | {result['queries']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="medians over this many rounds")
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the dataset already in the bench database instead of generating it again",
    )
    args = parser.parse_args()

    url = database_url(args.database, args.scale, args.reuse)
    if args.database == "postgres" and not args.reuse:
        reset_postgres(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "coopgov.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "COOPGOV_HTTPS": "0",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    started = time.perf_counter()
    prepared = setup(args.scale, args.reuse)
    port = free_port()
    server = serve(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {}
    runs: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in prepared["pages"]}
    try:
        # Each round measures every page once; with several rounds, a burst of noise on the
        # machine spoils one round of a page, and each figure is the median of the rounds.
        for round_ in range(1, args.rounds + 1):
            for name, path in prepared["pages"].items():
                headers = (
                    {"Authorization": f"Bearer {prepared['token']}"}
                    if path.startswith("/api/")
                    else {"Cookie": f"sessionid={prepared['cookie']}"}
                )
                runs[name].append(
                    {
                        str(clients): measure(base, path, headers, clients, args.requests)
                        for clients in (1, 4)
                    }
                )
                last = runs[name][-1]
                print(
                    f"{round_}/{args.rounds} {name:32} p95@1 {last['1']['p95']:7.1f} ms   "
                    f"p95@4 {last['4']['p95']:7.1f} ms   {last['4']['throughput']:6.1f} req/s   "
                    f"{prepared['queries'][name]:3d} queries",
                    flush=True,
                )
        for name, measured in runs.items():
            results[name] = {
                clients: {
                    figure: round(statistics.median(m[clients][figure] for m in measured), 1)
                    for figure in ("p50", "p95", "p99", "throughput")
                }
                for clients in ("1", "4")
            }
            results[name]["p95_at_4_by_round"] = [m["4"]["p95"] for m in measured]
            results[name]["queries"] = prepared["queries"][name]
    finally:
        server.terminate()
        server.wait(timeout=30)
    output = {
        "commit": commit(),
        "date": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "database": args.database,
        "scale": args.scale,
        "sizes": prepared["sizes"],
        "generated_seconds": prepared["generated_seconds"],
        "total_seconds": round(time.perf_counter() - started, 1),
        "workers": args.workers,
        "requests_per_measure": args.requests,
        "rounds": args.rounds,
        "budget_p95_ms_at_4": BUDGET_MS,
        "pages": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = (args.out or RESULTS / f"{args.database}-scale-{args.scale:g}.json").resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
    missed = [n for n, r in results.items() if r["4"]["p95"] > BUDGET_MS]
    print(
        f"\n{out}: {len(results) - len(missed)} of {len(results)} within p95 ≤ {BUDGET_MS:g} ms at 4 clients"
    )
    print()
    print(markdown(output))
    if args.compare:
        compare(output, args.compare)


if __name__ == "__main__":
    main()
