#!/usr/bin/env python3
"""kanal side by side with Apache Kafka Connect on the same broker (issue 9).

Starts one Apache Kafka broker (KRaft, loopback), then runs, in turn and with the same settings,
Apache Kafka Connect standalone (ConnectStandalone, the pinned version) and kanal standalone,
and prints one table of medians with their spread. See docs/benchmarks.md for what each figure
means and how it is measured. Normally started through scripts/bench, which builds first.

  tests/bench/run_bench.py [--quick] [--runs N] [--records N] [--only PHASES]
                           [--kanal-bin PATH] [--ceiling-bin PATH] [--update-doc]

Python 3 standard library only. Every process it starts is stopped on exit, on failure and on
Ctrl-C; the children also get SIGKILL from the kernel if this process is killed (PDEATHSIG).
"""

import argparse
import ctypes
import datetime
import json
import os
import platform
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLK_TCK = os.sysconf("SC_CLK_TCK")
PHASES = ("ceiling", "source", "sink", "idle", "startup", "failover")

# How bin/kafka-server-start.sh and bin/connect-standalone.sh start their JVMs (the defaults of
# KAFKA_HEAP_OPTS and KAFKA_JVM_PERFORMANCE_OPTS in the scripts of Kafka 4.3).
JVM_PERFORMANCE_OPTS = [
    "-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true", "-XX:-UsePerfData",
]
BROKER_HEAP = ["-Xmx1G", "-Xms1G"]
CONNECT_HEAP = ["-Xms256M", "-Xmx2G"]

# Settings both workers get (worker.properties); everything else is each worker's default.
# offset.flush.interval.ms (--offset-flush-ms, default 100): the file sinks write their tail on
# a flush, and the sink figures stop when the file holds every line.
COMMON_WORKER = {
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
}
JSON_VALUE = {
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "true",
}
# Three transforms valid for a string value: wrap it in a struct, add a field, rename the topic.
SMT_CHAIN = {
    "transforms": "hoist,insert,route",
    "transforms.hoist.type": "org.apache.kafka.connect.transforms.HoistField$Value",
    "transforms.hoist.field": "line",
    "transforms.insert.type": "org.apache.kafka.connect.transforms.InsertField$Value",
    "transforms.insert.static.field": "origin",
    "transforms.insert.static.value": "kanal-bench",
    "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
    "transforms.route.regex": "(.*)",
    "transforms.route.replacement": "$1-routed",
}
# (id, label, record size in bytes, connector-level extra settings)
FLOWS = [
    ("str100", "100 B, String", 100, {}),
    ("str1k", "1 KiB, String", 1024, {}),
    ("json100", "100 B, JSON+schema", 100, JSON_VALUE),
    ("smt100", "100 B, JSON+schema, 3 SMTs", 100, {**JSON_VALUE, **SMT_CHAIN}),
]
WORKERS = ("connect", "kanal")
NAMES = {"connect": "Connect", "kanal": "kanal"}

_children = []


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _die_with_parent():
    # PR_SET_PDEATHSIG = 1: the child gets SIGKILL when this process dies, even by SIGKILL.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


class Child:
    """A process started by the benchmark, logging to a file, stopped by stop() or at exit."""

    def __init__(self, argv, log_path, cwd=None):
        self.argv = argv
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.started = time.monotonic()
        self.popen = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, cwd=cwd,
                                      preexec_fn=_die_with_parent)
        self.pid = self.popen.pid
        _children.append(self)

    def running(self):
        return self.popen.poll() is None

    def stop(self, timeout=30):
        if self.running():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                log(f"pid {self.pid} ignored SIGTERM for {timeout} s; SIGKILL")
                self.popen.kill()
                self.popen.wait()
        self._log.close()
        if self in _children:
            _children.remove(self)

    def tail(self, n=15):
        try:
            with open(self.log_path, "rb") as f:
                return b"".join(f.readlines()[-n:]).decode(errors="replace")
        except OSError:
            return ""


def stop_all_children():
    for c in list(reversed(_children)):
        try:
            c.stop(timeout=20)
        except Exception as e:  # keep stopping the others
            log(f"stopping pid {c.pid}: {e}")


def cpu_seconds(pid):
    """utime + stime of the whole process (all threads) from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/{pid}/status")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_properties(path, props):
    with open(path, "w") as f:
        for k, v in props.items():
            f.write(f"{k}={v}\n")


def http(method, url, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def log4j2_file(path, log_file):
    with open(path, "w") as f:
        f.write("status = warn\n"
                "appender.file.type = File\n"
                "appender.file.name = FILE\n"
                f"appender.file.fileName = {log_file}\n"
                "appender.file.layout.type = PatternLayout\n"
                "appender.file.layout.pattern = [%d] %p %m (%c)%n\n"
                "rootLogger.level = INFO\n"
                "rootLogger.appenderRef.file.ref = FILE\n")


class Bench:
    def __init__(self, args):
        self.args = args
        self.n = args.records
        self.work = tempfile.mkdtemp(prefix="kanal-bench-")
        cache = os.environ.get("KANAL_CACHE_DIR", os.path.expanduser("~/.cache/kanal"))
        version = self._kafka_version()
        self.kafka_version = version
        self.broker_libs = os.path.join(cache, f"kafka-{version}", "libs")
        self.connect_libs = os.path.join(cache, f"connect-{version}", "libs")
        for d in (self.broker_libs, self.connect_libs):
            if not os.path.isdir(d):
                sys.exit(f"{d} is missing: run scripts/setup")
        self.java = shutil_which("java")
        self.kanal = os.path.abspath(args.kanal_bin)
        self.ceiling = os.path.abspath(args.ceiling_bin)
        for b in (self.kanal, self.ceiling):
            if not os.access(b, os.X_OK):
                sys.exit(f"{b} is missing: run scripts/build release (or scripts/bench)")
        self.results = {}  # figure key -> list of samples
        self.broker = None
        self.bootstrap = None
        self.seq = 0
        self.inputs = {}  # size -> input file with N lines
        self.first_lines = {}  # sink flow -> worker -> first line of its output file

    @staticmethod
    def _kafka_version():
        with open(os.path.join(ROOT, "scripts", "versions.env")) as f:
            for line in f:
                if line.startswith("KAFKA_VERSION="):
                    return line.split("=", 1)[1].split("#")[0].strip()
        sys.exit("no KAFKA_VERSION in scripts/versions.env")

    def add(self, key, value):
        self.results.setdefault(key, []).append(value)

    def unique(self, prefix):
        self.seq += 1
        return f"{prefix}-{self.seq}"

    # -- broker and topics -----------------------------------------------------------------

    def start_broker(self):
        d = os.path.join(self.work, "broker")
        os.makedirs(d)
        port, cport = free_port(), free_port()
        self.bootstrap = f"127.0.0.1:{port}"
        write_properties(os.path.join(d, "server.properties"), {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@127.0.0.1:{cport}",
            "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{cport}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": os.path.join(d, "data"),
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            "num.partitions": "1",
            "file.delete.delay.ms": "1000",
        })
        log4j2_file(os.path.join(d, "log4j2.properties"), os.path.join(d, "broker.log"))
        jvm = [self.java, *BROKER_HEAP, *JVM_PERFORMANCE_OPTS,
               f"-Dlog4j2.configurationFile={d}/log4j2.properties",
               "-cp", os.path.join(self.broker_libs, "*")]
        fmt = subprocess.run(jvm + ["kafka.tools.StorageTool", "format", "--cluster-id",
                                    "a2FuYWwtYmVuY2gtMDAwMQ", "--config",
                                    f"{d}/server.properties"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             preexec_fn=_die_with_parent)
        if fmt.returncode != 0:
            sys.exit("kafka.tools.StorageTool format failed:\n" + fmt.stdout.decode())
        self.broker = Child(jvm + ["kafka.Kafka", f"{d}/server.properties"],
                            os.path.join(d, "stdout.log"), cwd=d)
        deadline = time.monotonic() + 120
        while True:
            if not self.broker.running():
                sys.exit("the broker exited during start-up:\n" + self.broker.tail())
            if self.tool("ping", check=False) is not None:
                break
            if time.monotonic() > deadline:
                sys.exit("the broker did not serve within 120 s:\n" + self.broker.tail())
            time.sleep(0.5)
        log(f"broker ready at {self.bootstrap} (pid {self.broker.pid})")

    def tool(self, command, *extra, check=True):
        argv = [self.ceiling, command, "--bootstrap", self.bootstrap, *map(str, extra)]
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=_die_with_parent)
        if r.returncode != 0:
            if check:
                raise RuntimeError(f"{shlex.join(argv)} failed: {r.stderr.decode().strip()}")
            return None
        return json.loads(r.stdout.decode().strip().splitlines()[-1])

    def create_topic(self, topic):
        self.tool("create", "--topic", topic)

    def delete_topic(self, topic):
        self.tool("delete", "--topic", topic, check=False)

    # -- input -----------------------------------------------------------------------------

    def input_file(self, size):
        """A file of N lines of exactly `size` bytes (newline excluded), letters and digits."""
        if size in self.inputs:
            return self.inputs[size]
        path = os.path.join(self.work, f"input-{size}.txt")
        filler = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" * (size // 52 + 2))
        with open(path, "w") as f:
            chunk = []
            for i in range(self.n):
                head = f"{i:010d}"
                off = i % 52
                chunk.append(head + filler[off:off + size - len(head)] + "\n")
                if len(chunk) == 10000:
                    f.write("".join(chunk))
                    chunk = []
            f.write("".join(chunk))
        self.inputs[size] = path
        return path

    # -- workers ---------------------------------------------------------------------------

    def start_worker(self, kind, connector_files=(), extra=None, mode="standalone"):
        """Starts a standalone worker; returns (Child, rest_url, seconds until GET / is 200)."""
        d = os.path.join(self.work, self.unique(kind))
        os.makedirs(d)
        rest_port = free_port()
        props = {
            "bootstrap.servers": self.bootstrap,
            **COMMON_WORKER,
            "offset.flush.interval.ms": str(self.args.offset_flush_ms),
            **({"offset.storage.file.filename": os.path.join(d, "offsets")}
               if mode == "standalone" else {}),
            "listeners": f"http://127.0.0.1:{rest_port}",
            **(extra or {}),
        }
        write_properties(os.path.join(d, "worker.properties"), props)
        if kind == "connect":
            log4j2_file(os.path.join(d, "log4j2.properties"), os.path.join(d, "connect.log"))
            argv = [self.java, *CONNECT_HEAP, *JVM_PERFORMANCE_OPTS,
                    f"-Dlog4j2.configurationFile={d}/log4j2.properties",
                    "-cp", os.path.join(self.connect_libs, "*"),
                    "org.apache.kafka.connect.cli.Connect" + mode.capitalize(),
                    f"{d}/worker.properties", *connector_files]
        else:
            argv = [self.kanal, mode, f"{d}/worker.properties", *connector_files]
        url = f"http://127.0.0.1:{rest_port}"
        child = Child(argv, os.path.join(d, "worker.log"), cwd=d)
        deadline = child.started + 180
        while True:
            try:
                status, _ = http("GET", url + "/", timeout=2)
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, socket.timeout, OSError):
                pass
            if not child.running():
                raise RuntimeError(f"{kind} exited during start-up:\n{child.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{kind} REST not up within 180 s:\n{child.tail()}")
            time.sleep(0.005)
        startup = time.monotonic() - child.started
        return child, url, startup

    def wait_running(self, child, url, names, timeout=120):
        deadline = time.monotonic() + timeout
        while True:
            status, body = http("GET", url + "/connectors?expand=status")
            if status == 200:
                st = json.loads(body)
                ok = all(n in st and st[n]["status"]["connector"]["state"] == "RUNNING" and
                         st[n]["status"]["tasks"] and
                         all(t["state"] == "RUNNING" for t in st[n]["status"]["tasks"])
                         for n in names)
                if ok:
                    return
            if not child.running() or time.monotonic() > deadline:
                raise RuntimeError(f"connectors not RUNNING; last status {status}: {body[:500]}"
                                   f"\n{child.tail()}")
            time.sleep(0.1)

    # -- phases ----------------------------------------------------------------------------

    def phase_ceiling(self, run):
        for size in (100, 1024):
            topic = self.unique(f"ceiling-{size}")
            self.create_topic(topic)
            p = self.tool("produce", "--topic", topic, "--file", self.input_file(size))
            c = self.tool("consume", "--topic", topic, "--count", self.n)
            self.delete_topic(topic)
            self.add(f"ceiling.produce.{size}.rate", p["records_per_s"])
            self.add(f"ceiling.produce.{size}.cpu", p["cpu_s"] / (self.n / 1e6))
            self.add(f"ceiling.consume.{size}.rate", c["records_per_s"])
            self.add(f"ceiling.consume.{size}.cpu", c["cpu_s"] / (self.n / 1e6))
            log(f"run {run} ceiling {size} B: produce {p['records_per_s']:,.0f}/s, "
                f"consume {c['records_per_s']:,.0f}/s")

    def measured(self, kind, connector, wait):
        """Starts a worker, creates `connector` over REST, calls wait(); returns (s, cpu-s).

        With --profile DIR, kanal runs under `perf record` from the connector's creation
        to the last record: DIR/<connector name>.perf.data (figures then include perf's cost).
        """
        child, url, startup = self.start_worker(kind)
        self.add(f"startup.{kind}.any", startup)
        perf = None
        try:
            time.sleep(self.args.settle)
            if self.args.profile and kind == "kanal":
                os.makedirs(self.args.profile, exist_ok=True)
                data = os.path.join(self.args.profile, connector["name"] + ".perf.data")
                # DWARF unwinding: release builds keep no frame pointers.
                # KANAL_BENCH_PERF_ARGS replaces the event options, e.g. an off-CPU profile:
                # "-e sched:sched_switch --call-graph dwarf,16384".
                events = shlex.split(os.environ.get(
                    "KANAL_BENCH_PERF_ARGS", "-F 999 --call-graph dwarf,16384"))
                perf = Child(["perf", "record", *events, "-o", data, "-p", str(child.pid)],
                             data + ".log")
                time.sleep(0.5)
            cpu0 = cpu_seconds(child.pid)
            t0 = time.monotonic()
            status, body = http("POST", url + "/connectors", connector, timeout=60)
            if status != 201:
                raise RuntimeError(f"{kind}: POST /connectors answered {status}: {body}")
            wait(child)
            t1 = time.monotonic()
            cpu1 = cpu_seconds(child.pid)
            self.last_peak_mib = status_kib(child.pid, "VmHWM") / 1024
            return t1 - t0, cpu1 - cpu0
        finally:
            if perf is not None:
                perf.popen.send_signal(signal.SIGINT)
                perf.stop()
            child.stop()

    def phase_source(self, run):
        for flow, label, size, extra in self.flows():
            for kind in self.order(run):
                topic = self.unique(f"src-{flow}-{kind}")
                dest = topic + "-routed" if "transforms" in extra else topic
                self.create_topic(dest)
                name = topic
                connector = {"name": name, "config": {
                    "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector",
                    "tasks.max": "1", "file": self.input_file(size), "topic": topic, **extra}}
                waiter = subprocess.Popen(
                    [self.ceiling, "wait", "--bootstrap", self.bootstrap, "--topic", dest,
                     "--count", str(self.n), "--timeout-s", str(self.args.timeout)],
                    stdout=subprocess.PIPE, preexec_fn=_die_with_parent)
                try:
                    if waiter.stdout.readline().strip() != b"ready":
                        raise RuntimeError("the end-offset waiter did not start")

                    def wait(child):
                        while True:
                            line = waiter.stdout.readline()
                            if line:
                                return
                            if waiter.poll() is not None:
                                raise RuntimeError(f"{kind} source {flow}: not all records "
                                                   f"arrived\n{child.tail()}")
                    secs, cpu = self.measured(kind, connector, wait)
                finally:
                    if waiter.poll() is None:
                        waiter.kill()
                    waiter.wait()
                self.delete_topic(dest)
                self.add(f"source.{flow}.{kind}.rate", self.n / secs)
                self.add(f"source.{flow}.{kind}.cpu", cpu / (self.n / 1e6))
                log(f"run {run} source {label} {NAMES[kind]}: {self.n / secs:,.0f} rec/s, "
                    f"{cpu / (self.n / 1e6):.2f} CPU-s/M, peak RSS {self.last_peak_mib:.0f} MiB")

    def sink_topic(self, size, json_envelope):
        key = ("sinkin", size, json_envelope)
        if key not in self.inputs:
            topic = f"sink-input-{size}{'-json' if json_envelope else ''}"
            self.create_topic(topic)
            argv = ["--topic", topic, "--file", self.input_file(size)]
            if json_envelope:
                argv.append("--json-envelope")
            self.tool("produce", *argv)
            self.inputs[key] = topic
        return self.inputs[key]

    def phase_sink(self, run):
        for flow, label, size, extra in self.flows():
            topic = self.sink_topic(size, "value.converter" in extra)
            for kind in self.order(run):
                out = os.path.join(self.work, self.unique(f"sink-{flow}-{kind}") + ".txt")
                name = os.path.basename(out)[:-4]
                connector = {"name": name, "config": {
                    "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
                    "tasks.max": "1", "file": out, "topics": topic, **extra}}

                def wait(child, out=out):
                    lines, pos = 0, 0
                    deadline = time.monotonic() + self.args.timeout
                    while lines < self.n:
                        if os.path.exists(out):
                            with open(out, "rb") as f:
                                f.seek(pos)
                                while True:
                                    b = f.read(1 << 22)
                                    if not b:
                                        break
                                    pos += len(b)
                                    lines += b.count(b"\n")
                        if lines >= self.n:
                            return
                        if not child.running() or time.monotonic() > deadline:
                            raise RuntimeError(f"{kind} sink {flow}: {lines} of {self.n} lines"
                                               f"\n{child.tail()}")
                        time.sleep(0.02)
                secs, cpu = self.measured(kind, connector, wait)
                with open(out, "rb") as f:
                    first = f.readline().decode(errors="replace").rstrip("\n")
                self.first_lines.setdefault(flow, {})[kind] = first
                os.remove(out)
                self.add(f"sink.{flow}.{kind}.rate", self.n / secs)
                self.add(f"sink.{flow}.{kind}.cpu", cpu / (self.n / 1e6))
                log(f"run {run} sink {label} {NAMES[kind]}: {self.n / secs:,.0f} rec/s, "
                    f"{cpu / (self.n / 1e6):.2f} CPU-s/M, peak RSS {self.last_peak_mib:.0f} MiB")

    def warm_up(self, phases):
        """Writes the inputs and fills the sink topics: this also warms up the broker's JIT and
        its producer-id block (a fresh broker answers the first idempotent producer
        COORDINATOR_LOAD_IN_PROGRESS and costs it ~0.5 s)."""
        log(f"writing input files and sink topics ({self.n:,} records each)")
        for _, _, size, extra in self.flows():
            self.input_file(size)
            if {"sink", "ceiling", "source"} & set(phases):
                self.sink_topic(size, "value.converter" in extra)

    def check_sink_outputs(self):
        """Both workers must have written the same text (Kafka's FileStreamSinkTask output)."""
        for flow, by_worker in self.first_lines.items():
            if len(set(by_worker.values())) > 1:
                log(f"WARNING: sink {flow} first lines differ: {by_worker}")

    def phase_idle(self, run):
        for kind in self.order(run):
            child, url, startup = self.start_worker(kind)
            try:
                self.add(f"startup.{kind}", startup)
                time.sleep(self.args.idle_settle)
                self.add(f"idle0.{kind}", status_kib(child.pid, "VmHWM") / 1024)
            finally:
                child.stop()
            d = os.path.join(self.work, self.unique(f"idle20-{kind}"))
            os.makedirs(d)
            files, names = [], []
            for i in range(20):
                name = f"idle-{kind}-{run}-{i}"
                src = os.path.join(d, f"{name}.txt")
                open(src, "w").close()
                props = os.path.join(d, f"{name}.properties")
                write_properties(props, {
                    "name": name,
                    "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector",
                    "tasks.max": "1", "file": src, "topic": name})
                files.append(props)
                names.append(name)
            child, url, _ = self.start_worker(kind, files)
            try:
                self.wait_running(child, url, names)
                time.sleep(self.args.idle_settle)
                self.add(f"idle20.{kind}", status_kib(child.pid, "VmHWM") / 1024)
            finally:
                child.stop()
            log(f"run {run} idle {NAMES[kind]}: start-up {startup:.2f} s, peak RSS "
                f"{self.results[f'idle0.{kind}'][-1]:.0f} MiB (0 connectors), "
                f"{self.results[f'idle20.{kind}'][-1]:.0f} MiB (20 connectors)")

    def phase_failover(self, run):
        """f. Two distributed workers, kill -9 the one running a task, time until every task
        is RUNNING on the other; for each worker kind, with equal group settings."""
        for kind in self.order(run):
            if kind in self.args.workers.split(","):
                self.failover_once(run, kind)

    def failover_once(self, run, kind):
        group = self.unique("failover")
        topic = group + "-in"
        self.tool("create", "--topic", topic, "--partitions", 2)
        extra = {
            "group.id": group,
            "config.storage.topic": group + "-configs",
            "offset.storage.topic": group + "-offsets",
            "status.storage.topic": group + "-status",
            "config.storage.replication.factor": "1",
            "offset.storage.replication.factor": "1",
            "status.storage.replication.factor": "1",
            # The same for both kinds of worker.
            "scheduled.rebalance.max.delay.ms": "10000",
            "session.timeout.ms": "10000",
            "heartbeat.interval.ms": "3000",
        }
        workers = [self.start_worker(kind, extra=extra, mode="distributed") for _ in range(2)]
        try:
            name = group + "-sink"
            url0 = workers[0][1]
            # 409 while the group forms (no leader known yet): ask again.
            deadline = time.monotonic() + 120
            while True:
                status, body = http("POST", url0 + "/connectors", {"name": name, "config": {
                    "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
                    "tasks.max": "2", "topics": topic,
                    "file": os.path.join(self.work, name + ".txt")}}, timeout=60)
                if status == 201 or (status == 409 and "already exists" in body):
                    break
                if status != 409 or time.monotonic() > deadline:
                    raise RuntimeError(f"failover: POST /connectors answered {status}: {body}")
                time.sleep(0.5)

            def tasks(url):
                st, b = http("GET", f"{url}/connectors/{name}/status", timeout=5)
                return json.loads(b).get("tasks", []) if st == 200 else []
            deadline = time.monotonic() + 120
            while True:
                ts = tasks(url0)
                ids = {t["worker_id"] for t in ts if t["state"] == "RUNNING"}
                if len(ts) == 2 and all(t["state"] == "RUNNING" for t in ts):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"failover: tasks not RUNNING: {ts}")
                time.sleep(0.2)
            victim_id = ts[0]["worker_id"]
            port = lambda w: w[1].rsplit(":", 1)[1]
            victim = next(w for w in workers if victim_id.endswith(":" + port(w)))
            survivor = next(w for w in workers if w is not victim)
            t0 = time.monotonic()
            victim[0].popen.kill()
            victim[0].stop()
            survivor_id_port = ":" + port(survivor)
            deadline = t0 + 300
            while True:
                ts = tasks(survivor[1])
                if len(ts) == 2 and all(t["state"] == "RUNNING" and
                                        t["worker_id"].endswith(survivor_id_port) for t in ts):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"failover: tasks not back within 300 s: {ts}")
                time.sleep(0.05)
            secs = time.monotonic() - t0
        finally:
            for w in workers:
                w[0].stop()
        self.add(f"failover.{kind}", secs)
        log(f"run {run} failover {NAMES[kind]}: tasks RUNNING on the survivor {secs:.1f} s "
            "after kill -9")

    def flows(self):
        wanted = self.args.flows.split(",")
        return [f for f in FLOWS if f[0] in wanted]

    def order(self, run):
        # Alternate who goes first, so neither always runs on a warmer page cache or broker.
        kinds = [k for k in WORKERS if k in self.args.workers.split(",")]
        return kinds if run % 2 == 1 else list(reversed(kinds))

    # -- report ----------------------------------------------------------------------------

    def table(self):
        rows = []

        def stat(key):
            v = self.results.get(key)
            if not v:
                return None
            return statistics.median(v), min(v), max(v)

        def fmt(s, unit):
            if s is None:
                return "—"
            med, lo, hi = s
            if unit == "rate":
                spread = (hi - lo) / med * 100 if med else 0
                return f"{med:,.0f} ±{spread / 2:.0f}%"
            digits = 1 if unit == "mib" else 2
            return f"{med:.{digits}f} [{lo:.{digits}f}–{hi:.{digits}f}]"

        def ratio(a, b):
            if a is None or b is None or b[0] == 0:
                return "—"
            return f"{a[0] / b[0]:.2f}"

        plain = [f for f in FLOWS if f[0] in ("str100", "str1k")]
        converted = [f for f in FLOWS if f not in plain]
        order = [("a", "source", plain), ("b", "sink", plain), ("c", "source", converted),
                 ("c", "sink", converted)]
        for letter, path, flows in order:
            ceil = "produce" if path == "source" else "consume"
            for flow, label, size, extra in flows:
                csize = 1024 if size == 1024 else 100
                for what, unit, title in (("rate", "rate", "records/s"),
                                          ("cpu", "cpu", "CPU-s per M records")):
                    c = stat(f"{path}.{flow}.connect.{what}")
                    k = stat(f"{path}.{flow}.kanal.{what}")
                    cl = stat(f"ceiling.{ceil}.{csize}.{what}")
                    if c is None and k is None:
                        continue
                    rows.append((f"{letter}. {path} {label}: {title}", fmt(c, unit), fmt(k, unit),
                                 ratio(k, c), fmt(cl, unit), ratio(k, cl)))
        for key, title, unit in (("idle0", "d. peak RSS idle, 0 connectors (MiB)", "mib"),
                                 ("idle20", "d. peak RSS idle, 20 connectors (MiB)", "mib"),
                                 ("startup", "e. start-up to GET / 200 (s)", "s")):
            c, k = stat(f"{key}.connect"), stat(f"{key}.kanal")
            if c is None and k is None:
                continue
            rows.append((title, fmt(c, unit), fmt(k, unit), ratio(k, c), "—", "—"))
        c, k = stat("failover.connect"), stat("failover.kanal")
        if c is not None or k is not None:
            rows.append(("f. failover: kill -9 → tasks RUNNING on the other (s)", fmt(c, "s"),
                         fmt(k, "s"), ratio(k, c), "—", "—"))
        for size in (100, 1024):
            for op in ("produce", "consume"):
                s = stat(f"ceiling.{op}.{size}.cpu")
                if s is not None:
                    rows.append((f"g. librdkafka {op} {size} B: CPU-s per M records", "—", "—",
                                 "—", fmt(s, "cpu"), "—"))
        header = ("figure", "Connect", "kanal", "kanal/Connect", "librdkafka ceiling",
                  "kanal/ceiling")
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
        lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
                 "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        for r in rows:
            lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
        return "\n".join(lines)


def shutil_which(program):
    java_home = os.environ.get("JAVA_HOME")
    if java_home and os.access(os.path.join(java_home, "bin", program), os.X_OK):
        return os.path.join(java_home, "bin", program)
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, program)
        if os.access(p, os.X_OK):
            return p
    sys.exit(f"{program} not found: run scripts/setup (Java 17) or set JAVA_HOME")


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    java = subprocess.run([shutil_which("java"), "-version"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT).stdout.decode().splitlines()[0]
    return (f"{os.cpu_count()} CPUs ({model}), {mem_kib / 1024 / 1024:.1f} GiB RAM, "
            f"{platform.system()} {platform.release()}, {java}")


def update_doc(path, text):
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    with open(path) as f:
        doc = f.read()
    if begin not in doc or end not in doc:
        sys.exit(f"{path} has no {begin} ... {end} block to replace")
    head, rest = doc.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w") as f:
        f.write(head + begin + "\n" + text + "\n" + end + tail)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=1_000_000, help="records per flow")
    ap.add_argument("--quick", action="store_true", help="100,000 records per flow")
    ap.add_argument("--runs", type=int, default=3, help="runs per figure (median, spread)")
    ap.add_argument("--only", default=",".join(PHASES),
                    help=f"comma-separated phases out of {','.join(PHASES)}")
    ap.add_argument("--kanal-bin", default=os.path.join(ROOT, "build", "bin", "kanal"))
    ap.add_argument("--ceiling-bin",
                    default=os.path.join(ROOT, "build", "bin", "kanal_bench_ceiling"))
    ap.add_argument("--settle", type=float, default=2.0,
                    help="seconds between REST up and the connector's creation")
    ap.add_argument("--idle-settle", type=float, default=5.0,
                    help="seconds idle before peak RSS is read")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per flow at most")
    ap.add_argument("--offset-flush-ms", type=int, default=100,
                    help="offset.flush.interval.ms of both workers")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--flows", default=",".join(f[0] for f in FLOWS),
                    help="source/sink flows to run (default all)")
    ap.add_argument("--workers", default="connect,kanal",
                    help="which workers to run: connect,kanal (default both)")
    ap.add_argument("--profile", metavar="DIR",
                    help="record kanal's flows with perf record into DIR (skews figures)")
    ap.add_argument("--results-json", help="also write every sample to this file")
    ap.add_argument("--from-json", metavar="FILE",
                    help="print (and with --update-doc write) the table of a --results-json")
    ap.add_argument("--update-doc", action="store_true",
                    help="write the table into docs/benchmarks.md")
    args = ap.parse_args()
    if args.quick:
        args.records = 100_000
    phases = [p for p in args.only.split(",") if p]
    for p in phases:
        if p not in PHASES and p != "idle20":
            sys.exit(f"unknown phase {p}; phases: {','.join(PHASES)}")
    if "startup" in phases and "idle" not in phases:
        phases.append("idle")  # start-up is measured by the idle phase

    def on_signal(sig, _frame):
        raise KeyboardInterrupt(f"signal {sig}")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    bench = Bench(args)
    if args.from_json:
        with open(args.from_json) as f:
            saved = json.load(f)
        bench.results = saved["samples"]
        os.rmdir(bench.work)  # nothing runs
        print(saved["summary_head"] + bench.table())
        if args.update_doc:
            update_doc(os.path.join(ROOT, "docs", "benchmarks.md"),
                       saved["summary_head"] + bench.table())
        return
    started = time.monotonic()
    load_start = os.getloadavg()[0]
    command = "scripts/bench " + shlex.join(sys.argv[1:]) if os.environ.get(
        "KANAL_BENCH_WRAPPER") else shlex.join([os.path.relpath(sys.argv[0], ROOT)] +
                                               sys.argv[1:])
    try:
        bench.start_broker()
        bench.warm_up(phases)
        for run in range(1, args.runs + 1):
            for phase in ("ceiling", "source", "sink", "idle", "failover"):
                if phase in phases:
                    getattr(bench, f"phase_{phase}")(run)
    except KeyboardInterrupt:
        log("interrupted; stopping every process started")
        stop_all_children()
        sys.exit(130)
    finally:
        stop_all_children()
        if not args.keep:
            subprocess.run(["rm", "-rf", bench.work])
        else:
            log(f"work directory kept: {bench.work}")
    elapsed = time.monotonic() - started
    bench.check_sink_outputs()
    table = bench.table()
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    summary_head = (
        f"- Command: `{command}` — {args.records:,} records per flow, {args.runs} runs, "
        f"{elapsed / 60:.1f} min.\n"
        f"- Machine: {machine()}; load average {load_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end.\n"
        f"- Kafka {bench.kafka_version} (broker and Connect); ran {when}.\n"
        "- Medians; rates ±half the min–max spread in % of the median, other figures [min–max].\n\n")
    summary = summary_head + table
    print(summary)
    if args.results_json:
        with open(args.results_json, "w") as f:
            json.dump({"records": args.records, "runs": args.runs, "samples": bench.results,
                       "summary_head": summary_head}, f, indent=1)
    if args.update_doc:
        update_doc(os.path.join(ROOT, "docs", "benchmarks.md"), summary)
        log("docs/benchmarks.md updated")


if __name__ == "__main__":
    main()
