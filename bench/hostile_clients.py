#!/usr/bin/env python3
"""Honest clients' latency against a running medvault, alone and then under attack.

Run by bench/hostile_benchmark.sh, which starts the server, logs in and passes the
token in the MEDVAULT_TOKEN environment variable. Two phases of --seconds each:

  baseline  honest clients alone;
  attack    the same honest clients while, in a separate process, hostile clients keep
            up --slowloris + --no-handshake + --floods connections at all times:
              slowloris     TLS handshake, then a request header one byte every --drip s
              no-handshake  TCP only: half send nothing, half drip a ClientHello that
                            never ends, one byte every --drip s
              floods        TLS, then one of: a 64 KiB header value, 2,000 small
                            headers, header lines sent without end; read the answer,
                            start again at once
            Whatever the server closes is reopened at once. The attackers connect
            from the --attack-from addresses in turn (the honest clients from the
            default, 127.0.0.1): the server caps connections per client address, so one
            host alone would get no more than its share, 256 by default.

Honest clients: --honest keep-alive connections, each sending one authenticated GET
every --interval s (paced, not flat out), and one client that opens a fresh TLS
connection for every request (so that starvation of accept or of handshakes shows).
Figures: p50/p90/p99/max of each, errors, and the server's RSS (VmRSS, VmHWM), open
descriptors and threads sampled every second.
"""

import argparse
import asyncio
import json
import logging
import multiprocessing
import os
import random
import socket
import ssl
import statistics
import sys
import threading
import time
from urllib.parse import urlparse

REQUEST_TIMEOUT = 10.0


def tls_context(ca):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.check_hostname = False  # the certificate names the host; we dial 127.0.0.1
    return ctx


def read_response(sock):
    """One response with a Content-Length body; returns (status, body length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the header")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed in the body")
        rest += chunk
    return status, length


class Honest:
    """Paced honest clients; latencies in seconds, per kind, per phase."""

    def __init__(self, args):
        self.args = args
        u = urlparse(args.url)
        self.host, self.port = u.hostname, u.port
        self.ctx = tls_context(args.ca)
        token = os.environ["MEDVAULT_TOKEN"]
        self.request = (
            f"GET {args.path} HTTP/1.1\r\nHost: {u.netloc}\r\n"
            f"Authorization: Bearer {token}\r\nUser-Agent: medvault-bench\r\n"
            "Accept: application/fhir+json\r\n\r\n"
        ).encode()
        self.phase = "warmup"
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.latencies = {}  # (phase, kind) -> [seconds]
        self.errors = {}  # (phase, kind) -> [text]

    def record(self, kind, seconds=None, error=None):
        with self.lock:
            key = (self.phase, kind)
            if error is None:
                self.latencies.setdefault(key, []).append(seconds)
            else:
                self.errors.setdefault(key, []).append(error)

    def record_answer(self, kind, status, started):
        """An honest request's answer: its latency when it is a 200, else an error."""
        if status == 200:
            self.record(kind, time.monotonic() - started)
        else:
            self.record(kind, error=f"status {status}")

    def connect(self):
        raw = socket.create_connection((self.host, self.port), timeout=REQUEST_TIMEOUT)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.ctx.wrap_socket(raw, server_hostname="localhost")

    def keep_alive_client(self, index):
        time.sleep(self.args.interval * index / max(1, self.args.honest))
        sock = None
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                if sock is None:
                    sock = self.connect()
                    started = time.monotonic()  # a reconnection is not the request's
                sock.sendall(self.request)
                status, _ = read_response(sock)
                self.record_answer("keep-alive", status, started)
            except (OSError, ConnectionError, ValueError) as e:
                self.record("keep-alive", error=type(e).__name__)
                if sock is not None:
                    sock.close()
                sock = None
            self.stop.wait(max(0.0, self.args.interval - (time.monotonic() - started)))
        if sock is not None:
            sock.close()

    def fresh_connection_client(self):
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                with self.connect() as sock:
                    sock.sendall(self.request)
                    status, _ = read_response(sock)
                self.record_answer("new-connection", status, started)
            except (OSError, ConnectionError, ValueError) as e:
                self.record("new-connection", error=type(e).__name__)
            self.stop.wait(max(0.0, self.args.fresh_interval - (time.monotonic() - started)))

    def start(self):
        self.threads = [
            threading.Thread(target=self.keep_alive_client, args=(i,), daemon=True)
            for i in range(self.args.honest)
        ]
        self.threads.append(threading.Thread(target=self.fresh_connection_client, daemon=True))
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(REQUEST_TIMEOUT + 2)


# ---- the hostile side (a process of its own, asyncio) -------------------------------

CLIENT_HELLO_START = bytes.fromhex("160301020001") + bytes(range(1, 200))


async def wait_closed(reader):
    try:
        while await reader.read(4096):
            pass
    except (OSError, ConnectionError, ssl.SSLError):
        pass


async def drip(writer, reader, data, every):
    """Sends `data` one byte every `every` seconds until the server closes."""
    closed = asyncio.ensure_future(wait_closed(reader))
    i = 0
    while not closed.done():
        try:
            writer.write(data[i % len(data) : i % len(data) + 1])
            await writer.drain()
        except (OSError, ConnectionError, ssl.SSLError):
            break
        i += 1
        await asyncio.wait([closed], timeout=every)
    closed.cancel()


async def slowloris(stats, host, port, ctx, every, source):
    header = (
        f"GET /fhir/Patient HTTP/1.1\r\nHost: {host}:{port}\r\n"
        + "".join(f"X-Slow-{i}: {'a' * 20}\r\n" for i in range(1000))
    ).encode()
    while True:
        began = time.monotonic()
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, ssl=ctx, server_hostname="localhost",
                                        local_addr=(source, 0)), 30
            )
        except (OSError, asyncio.TimeoutError, ssl.SSLError):
            stats["failed connects"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["slowloris connections"] += 1
        await drip(writer, reader, header, every)
        stats["slowloris seconds held"] += time.monotonic() - began
        writer.close()


async def no_handshake(stats, host, port, every, silent, source):
    while True:
        began = time.monotonic()
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, local_addr=(source, 0)), 30)
        except (OSError, asyncio.TimeoutError):
            stats["failed connects"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["no-handshake connections"] += 1
        if silent:
            await wait_closed(reader)
        else:
            await drip(writer, reader, CLIENT_HELLO_START, every)
        stats["no-handshake seconds held"] += time.monotonic() - began
        writer.close()


async def flood(stats, host, port, ctx, kind, source):
    start = f"GET /fhir/Patient HTTP/1.1\r\nHost: {host}:{port}\r\n".encode()
    while True:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, ssl=ctx, server_hostname="localhost",
                                        local_addr=(source, 0)), 30
            )
        except (OSError, asyncio.TimeoutError, ssl.SSLError):
            stats["failed connects"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["flood connections"] += 1
        answer = asyncio.ensure_future(reader.read(64))
        try:
            if kind == 0:  # one huge header
                writer.write(start + b"X-Huge: " + b"h" * 65536 + b"\r\n\r\n")
                await writer.drain()
            elif kind == 1:  # many small headers
                writer.write(start + b"".join(b"X-%d: v\r\n" % i for i in range(2000)) + b"\r\n")
                await writer.drain()
            else:  # header lines without end, as fast as the server takes them
                writer.write(start)
                i = 0
                while not answer.done() and i < 100_000:
                    writer.write(b"".join(b"X-Line-%d: endless\r\n" % (i + k) for k in range(100)))
                    await writer.drain()
                    await asyncio.sleep(0)  # drain() need not yield: let the others run
                    i += 100
            first = await asyncio.wait_for(answer, 30)
            status = first[9:12].decode(errors="replace") if first.startswith(b"HTTP/") else "none"
            stats[f"flood answered {status}"] += 1
        except (OSError, ConnectionError, ssl.SSLError, asyncio.TimeoutError):
            stats["flood cut off"] += 1
        answer.cancel()
        writer.close()


class Counter(dict):
    def __missing__(self, key):
        return 0


def run_attack(args, stats_file):
    """The attack process: every attacker as a coroutine; the counters are written to
    `stats_file` (JSON) every second."""
    counts = Counter()
    # Writes to connections the server has closed are the point; asyncio would log each.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)

    async def publish():
        while True:
            with open(stats_file + ".tmp", "w") as f:
                json.dump(counts, f)
            os.replace(stats_file + ".tmp", stats_file)
            await asyncio.sleep(1)

    async def main():
        publisher = asyncio.ensure_future(publish())  # held: the loop keeps tasks weakly
        u = urlparse(args.url)
        ctx = tls_context(args.ca)
        sources = args.attack_from.split(",")
        source = (sources[i % len(sources)] for i in range(args.slowloris + args.no_handshake
                                                            + args.floods))
        tasks = [slowloris(counts, u.hostname, u.port, ctx, args.drip, next(source))
                 for _ in range(args.slowloris)]
        tasks += [no_handshake(counts, u.hostname, u.port, args.drip, i % 2 == 0, next(source))
                  for i in range(args.no_handshake)]
        tasks += [flood(counts, u.hostname, u.port, ctx, i % 3, next(source))
                  for i in range(args.floods)]
        random.shuffle(tasks)
        await asyncio.gather(publisher, *tasks)

    asyncio.run(main())


# ---- bodies over the limits -----------------------------------------------------------


def body_phase(args, pid, rounds):
    """Oversized and deeply nested bodies, `rounds` of each, one connection each: the
    server's peak RSS (VmHWM) before and after each kind, and how long the answer took."""
    u = urlparse(args.url)
    ctx = tls_context(args.ca)
    token = os.environ["MEDVAULT_TOKEN"]
    head = (f"Host: {u.netloc}\r\nAuthorization: Bearer {token}\r\n"
            "User-Agent: medvault-bench\r\nContent-Type: application/fhir+json\r\n")
    nested_arrays = b"[" * 500_000 + b"]" * 500_000
    nested_objects = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    small_nested = b'{"username":' * 300 + b'"x"' + b"}" * 300  # within login's 4 KiB cap
    big_valid = b'{"resourceType":"Patient","text":"' + b"x" * 1_000_000 + b'"}'

    def declared(sock):
        sock.sendall(f"POST /fhir/Patient HTTP/1.1\r\n{head}Content-Length: 1073741824\r\n\r\n".encode())

    def chunked(sock):
        sock.sendall(f"POST /fhir/Patient HTTP/1.1\r\n{head}Transfer-Encoding: chunked\r\n\r\n".encode())
        chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"
        for _ in range(64):  # 4 MiB
            sock.sendall(chunk)

    def body(path, data):
        def send(sock):
            sock.sendall(f"POST {path} HTTP/1.1\r\n{head}Content-Length: {len(data)}\r\n\r\n".encode()
                         + data)
        return send

    kinds = [
        ("1 GB declared (Content-Length)", declared),
        ("4 MiB chunked", chunked),
        ("nested arrays, 500,000 deep, to /fhir/Patient", body("/fhir/Patient", nested_arrays)),
        ("nested objects, 100,000 deep, to /fhir/Patient", body("/fhir/Patient", nested_objects)),
        ("nested objects, 100,000 deep, to /auth/login", body("/auth/login", nested_objects)),
        ("nested objects, 300 deep, to /auth/login", body("/auth/login", small_nested)),
        ("(for scale) a 1 MB Patient at the limit", body("/fhir/Patient", big_valid)),
    ]
    print(f"\nbodies over the limits, {rounds} of each, one connection each:")
    print(f"  {'kind':<50} {'statuses':<14} {'answer ms (median)':>18} {'RSS MiB before -> peak':>24}")
    for name, send in kinds:
        try:  # resets VmHWM to the current RSS (Linux 4.0+), so that each kind shows its own peak
            with open(f"/proc/{pid}/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            pass
        before = proc_status(pid)["rss"]
        statuses, times = {}, []
        for _ in range(rounds):
            started = time.monotonic()
            try:
                raw = socket.create_connection((u.hostname, u.port), timeout=30)
                with ctx.wrap_socket(raw, server_hostname="localhost") as sock:
                    try:
                        send(sock)
                    except OSError:
                        pass  # the server stopped reading: its answer may still be there
                    status, _ = read_response(sock)
            except (OSError, ConnectionError, ValueError) as e:
                status = type(e).__name__
            times.append(time.monotonic() - started)
            statuses[status] = statuses.get(status, 0) + 1
        after = proc_status(pid)["hwm"]
        print(f"  {name:<50} {str(statuses):<14} {statistics.median(times) * 1000:>18.1f}"
              f" {before / 1024:>17.1f} -> {after / 1024:.1f}")


# ---- measuring ----------------------------------------------------------------------


def proc_status(pid):
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                name, _, value = line.partition(":")
                fields[name] = value.strip()
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None
    kib = lambda name: int(fields.get(name, "0 kB").split()[0])  # noqa: E731
    return {"rss": kib("VmRSS"), "hwm": kib("VmHWM"), "fds": fds, "threads": int(fields["Threads"]),
            "cpu": cpu_seconds(pid)}


def cpu_seconds(pid):
    """User + system CPU time of a process so far, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class Sampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.phase, self.samples, self.stop = pid, "warmup", [], threading.Event()

    def run(self):
        while not self.stop.wait(1.0):
            s = proc_status(self.pid)
            if s:
                s["phase"] = self.phase
                self.samples.append(s)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(honest, sampler, attack_counts, args):
    print(f"\nhonest clients: {args.honest} keep-alive (one request every {args.interval} s each)"
          f" + 1 opening a new connection per request (every {args.fresh_interval} s)")
    print(f"attack: {args.slowloris} slow-loris + {args.no_handshake} never-finished handshakes"
          f" + {args.floods} header floods, kept up at all times\n")
    print(f"{'phase':<9} {'client':<15} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p90 ms':>8}"
          f" {'p99 ms':>8} {'max ms':>8}")
    figures = {}
    for phase in ("baseline", "attack"):
        for kind in ("keep-alive", "new-connection"):
            lat = honest.latencies.get((phase, kind), [])
            errs = honest.errors.get((phase, kind), [])
            if lat:
                row = [percentile(lat, p) * 1000 for p in (50, 90, 99)] + [max(lat) * 1000]
            else:
                row = [float("nan")] * 4
            figures[(phase, kind)] = row
            print(f"{phase:<9} {kind:<15} {len(lat):>8} {len(errs):>6} "
                  + " ".join(f"{v:>8.1f}" for v in row))
            if errs:
                print(f"{'':<25} errors: {sorted(set(errs))}")
    for kind in ("keep-alive", "new-connection"):
        base, att = figures[("baseline", kind)], figures[("attack", kind)]
        print(f"p99 under attack / alone ({kind}): {att[2] / base[2]:.2f}x;"
              f" p50: {att[0] / base[0]:.2f}x")
    print("\nserver (sampled every second):")
    for phase in ("baseline", "attack"):
        ss = [s for s in sampler.samples if s["phase"] == phase]
        if ss:
            cpu = (ss[-1]["cpu"] - ss[0]["cpu"]) / max(1, len(ss) - 1)
            print(f"  {phase:<9} RSS {min(s['rss'] for s in ss) / 1024:.1f}-"
                  f"{max(s['rss'] for s in ss) / 1024:.1f} MiB (end {ss[-1]['rss'] / 1024:.1f}),"
                  f" peak RSS so far (VmHWM) {ss[-1]['hwm'] / 1024:.1f} MiB, descriptors up to"
                  f" {max(s['fds'] for s in ss)}, threads {ss[-1]['threads']}, CPU {cpu:.2f} cores")
    print("\nattackers:")
    for name in sorted(attack_counts):
        if not name.endswith("seconds held"):
            print(f"  {name}: {attack_counts[name]:.0f}")
    for kind in ("slowloris", "no-handshake"):
        n = attack_counts.get(f"{kind} connections", 0)
        held = attack_counts.get(f"{kind} seconds held", 0.0)
        if n:
            print(f"  {kind}: {n} connections, held {held / n:.1f} s on average until closed"
                  " (those still open at the end count as far as then)")
    lat_ka = figures[("attack", "keep-alive")][2] / figures[("baseline", "keep-alive")][2]
    lat_nc = figures[("attack", "new-connection")][2] / figures[("baseline", "new-connection")][2]
    errors = sum(len(honest.errors.get(("attack", k), [])) for k in ("keep-alive", "new-connection"))
    print(f"\nHOSTILE p99_ratio_keep_alive={lat_ka:.2f} p99_ratio_new_connection={lat_nc:.2f}"
          f" honest_errors_under_attack={errors}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True, help="https://127.0.0.1:PORT")
    ap.add_argument("--path", required=True, help="what honest clients GET")
    ap.add_argument("--ca", required=True)
    ap.add_argument("--pid", type=int, required=True, help="the server's process id")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--warmup", type=float, default=5)
    ap.add_argument("--honest", type=int, default=4)
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("--fresh-interval", type=float, default=0.2)
    ap.add_argument("--slowloris", type=int, default=250)
    ap.add_argument("--no-handshake", type=int, default=200)
    ap.add_argument("--floods", type=int, default=50)
    ap.add_argument("--drip", type=float, default=2.0, help="seconds between slow bytes")
    ap.add_argument("--attack-from", default="127.0.0.2,127.0.0.3,127.0.0.4",
                    help="the attackers' source addresses, used in turn (comma-separated)")
    ap.add_argument("--bodies", type=int, default=20,
                    help="rounds of each oversized or nested body after the attack (0: none)")
    args = ap.parse_args()

    spawn = multiprocessing.get_context("spawn")  # not forked: this process runs threads
    stats_file = f"/tmp/hostile-clients-{os.getpid()}.json"
    stats = Counter()
    honest = Honest(args)
    sampler = Sampler(args.pid)
    sampler.start()
    honest.start()
    time.sleep(args.warmup)
    honest.phase = sampler.phase = "baseline"
    time.sleep(args.seconds)

    honest.phase = sampler.phase = "ramp-up"
    attacker = spawn.Process(target=run_attack, args=(args, stats_file), daemon=True)
    attacker.start()
    # The attack reaches its full size within a few seconds; measure after that.
    time.sleep(min(10.0, args.seconds / 4))
    honest.phase = sampler.phase = "attack"
    time.sleep(args.seconds)
    try:
        with open(stats_file) as f:
            stats.update(json.load(f))
        os.remove(stats_file)
    except OSError:
        print(f"the attack process wrote no figures (exit code {attacker.exitcode})", file=sys.stderr)
    stats["attack process CPU seconds"] = cpu_seconds(attacker.pid)
    honest.phase = sampler.phase = "done"
    attacker.terminate()
    attacker.join()
    honest.finish()
    sampler.stop.set()
    report(honest, sampler, stats, args)
    if args.bodies:
        body_phase(args, args.pid, args.bodies)


if __name__ == "__main__":
    main()
