"""The speed suite in one command: ours against jrnl 4.6 at real sizes, one table, RESULTS.md.

    python tests/bench/run.py                 # N = 3,650 and 36,500, 1 warm-up + 5 runs
    python tests/bench/run.py --quick --no-jrnl   # N = 200, 1 warm-up + 2 runs, no jrnl
    python tests/bench/run.py --encrypted     # encrypted vs unencrypted (encrypted.py)

What it does:

1. creates ``tests/bench/.work/venv-jrnl`` with ``jrnl==4.6`` (the nearest 4.x if 4.6 cannot
   be installed, and says so); ours is the ``journal`` installed beside this Python;
2. generates both journals per size with ``generate.py`` (cached in ``.work`` by size and
   generator version); for the sizes up to 3,650 also a journal moved in from jrnl: jrnl's
   JSON export of its journal, brought in with ``journal import --format jrnl`` (entries of
   another shape: titles cut at a sentence, ``@tags`` in the body);
3. runs every case alternating ours / the reference (jrnl, or the same case on an empty
   journal for the app's own cases): one warm-up, then ``--runs`` timed runs. Wall time is
   ``time.perf_counter`` around the child; peak memory is the child's ``ru_maxrss`` from
   ``os.wait4``. Journal files are restored before each run outside the timed part, so a run
   that writes (add, the app's first start of the day) always sees the same N. Ours is put
   back as journal left it: a hard link to the generated file and journal's record of having
   written it (a copy would look like a file another program wrote, which journal checks in
   full before its first write);
4. prints one table of medians and ratios with the targets, and writes it with a
   description of the machine to ``tests/bench/RESULTS.md`` (not with ``--quick``, unless
   ``--results`` says where).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
JRNL_WANTED = "4.6"
SEARCH_WORD = "Kraków"
ADD_TEXT = "Benchmark entry, added from the command line. It has two sentences"
SIZES = (3_650, 36_500)
FROM_JRNL = "search, moved in from jrnl"
MIB = 1024  # ru_maxrss is in KiB on Linux

sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (beside this file; run as a script)

record_checked: Callable[[Path], None] | None
try:
    from journal.store.jsonfile import record_checked
except ImportError:  # the store keeps no record of its own writes: a copy is as good as a link
    record_checked = None


class BenchError(RuntimeError):
    """A command failed or printed something that is not what the case expects."""


@dataclasses.dataclass
class Sample:
    """One timed run."""

    seconds: float
    rss_mib: float | None = None


@dataclasses.dataclass
class Row:
    """One line of the table."""

    case: str
    n: int
    ours: list[Sample]
    ref: list[Sample]
    ref_label: str  # "jrnl" or "empty"
    target: str
    verdict: str  # PASS, FAIL or "-" (no target)
    note: str = ""

    @staticmethod
    def median(samples: list[Sample]) -> float | None:
        return statistics.median(s.seconds for s in samples) if samples else None

    @staticmethod
    def peak(samples: list[Sample]) -> float | None:
        values = [s.rss_mib for s in samples if s.rss_mib is not None]
        return statistics.median(values) if values else None


def measured(value: float | None) -> float:
    """A median that a case with a verdict always has."""
    if value is None:
        raise BenchError("a case with a target has no measurement")
    return value


def ratio(ours: float | None, ref: float | None) -> float:
    """ours / ref, of two such medians."""
    return measured(ours) / measured(ref)


#: (name, our command, the reference's, restore before each run, output check, time target)
Case = tuple[str, list[str], list[str], bool, "Callable[[str], None] | None", "float | None"]


# ---- environment ---------------------------------------------------------------------------


def journal_command() -> str:
    """Our ``journal`` script: the one installed beside this Python."""
    beside = Path(sys.executable).parent / "journal"
    if beside.exists():
        return str(beside)
    found = shutil.which("journal")
    if not found:
        raise BenchError("the journal command is not installed beside this Python")
    return found


def precompile() -> None:
    """Byte-compile our package first, as ``pip install`` does for an installed journal.

    This checkout is an editable install: where PYTHONDONTWRITEBYTECODE is set (this
    sandbox sets it) no .pyc is ever written, and every timed run compiled every module of
    journal from source again (10-30 ms a command) where jrnl, installed by pip, has its
    bytecode. Python still checks each .pyc against its source, so an edit is never missed.
    """
    import compileall

    import journal

    compileall.compile_dir(Path(journal.__file__).parent, quiet=1)


def ensure_jrnl() -> tuple[str, str]:
    """The jrnl command in the benchmark venv (created on first use) and its version."""
    venv = WORK / "venv-jrnl"
    jrnl = venv / "bin" / "jrnl"
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if not jrnl.exists() or jrnl_version(python) is None:
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        print(f"installing jrnl=={JRNL_WANTED} ...", file=sys.stderr)
        if subprocess.run([*pip, f"jrnl=={JRNL_WANTED}"]).returncode != 0:
            print(f"jrnl {JRNL_WANTED} cannot be installed; trying the newest 4.x", file=sys.stderr)
            subprocess.run([*pip, "jrnl>=4,<5"], check=True)
    version = jrnl_version(python)
    if version is None:
        raise BenchError(f"jrnl did not install into {venv}")
    if version != JRNL_WANTED:
        print(f"note: benchmarking jrnl {version}, not {JRNL_WANTED}", file=sys.stderr)
    return str(jrnl), version


def jrnl_version(python: Path) -> str | None:
    """The installed jrnl's version string, or None."""
    result = subprocess.run(
        [str(python), "-c", "from jrnl.__version__ import __version__; print(__version__)"],
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().lstrip("v") or None if result.returncode == 0 else None


def dataset(n: int) -> Path:
    """The cached journals of ``n`` entries (generated in a child process on first use)."""
    folder = WORK / "data" / f"n{n}-{generate.generator_version()}"
    if not folder.exists():
        print(f"generating {n:,} entries into {folder} ...", file=sys.stderr)
        folder.parent.mkdir(parents=True, exist_ok=True)
        # Generated aside and renamed into place: two runs at once never see half a dataset.
        partial = Path(tempfile.mkdtemp(prefix=f".n{n}-", dir=folder.parent))
        try:
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(n), str(partial)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            try:
                partial.rename(folder)
            except OSError:
                pass  # another run got there first; its copy is the same
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    # Datasets of an older generator or storage are never read again (~140 MB each at
    # 36,500 entries): each change to either would otherwise leave one more behind.
    for stale in folder.parent.glob(f"n{n}-*"):
        if stale != folder and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    return folder


@dataclasses.dataclass
class Workspace:
    """A scratch copy of one size's journals, with an environment that points only there."""

    n: int
    source: Path | None  # None: an empty journal
    root: Path
    jrnl: str | None

    @property
    def db(self) -> Path:
        return self.root / "data" / generate.OURS

    @property
    def jrnl_config(self) -> Path:
        return self.root / generate.JRNL_CONFIG

    @property
    def env(self) -> dict[str, str]:
        home = self.root / "home"
        # COLUMNS and LINES would override the terminal's real size (shutil.get_terminal_size
        # reads them first): a run started from a test process that set them drew the app at
        # 80x24 inside tmux's 110x32 window, and the first-frame check never saw the editor.
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("JOURNAL_", "XDG_")) and k not in ("COLUMNS", "LINES")
        }
        env.update(
            HOME=str(home),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_STATE_HOME=str(home / ".local" / "state"),
            XDG_CACHE_HOME=str(home / ".cache"),
            JOURNAL_DB=str(self.db),
            JOURNAL_CONFIG=str(self.root / "config.toml"),
            NO_COLOR="1",
        )
        return env

    def restore(self) -> None:
        """Put back the journals as generated (outside any timed part)."""
        data = self.db.parent
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True, mode=0o700)
        (self.root / "home").mkdir(exist_ok=True)
        if self.source is None:
            # An empty journal that exists: on a missing one the first-start welcome covers
            # the editor the TUI case waits for (a person sees it once; every run would).
            self.db.write_bytes(b"{}\n")
            os.chmod(self.db, 0o600)
        else:
            source = self.source / generate.OURS
            try:
                # The journal as journal wrote it: a hard link to the generated file (journal
                # replaces its file on every write, never changes it in place, so the source
                # stays as generated) and journal's record that it wrote that file
                # (jsonfile.record_checked), which a copy, a new file, would not match. The
                # record is made after the link, since a new link changes the file's ctime.
                os.link(source, self.db)
                if record_checked is not None:
                    record_checked(self.db)
            except OSError:
                with contextlib.suppress(OSError):
                    self.db.unlink()
                shutil.copyfile(source, self.db)
            os.chmod(self.db, 0o600)
            if self.jrnl is not None:
                shutil.copyfile(self.source / generate.JRNL_TEXT, self.root / generate.JRNL_TEXT)
                self.jrnl_config.write_text(
                    generate.jrnl_config(self.root / generate.JRNL_TEXT), encoding="utf-8"
                )


# ---- running one command ---------------------------------------------------------------------


def timed(
    cmd: list[str], env: dict[str, str], *, check_output: Callable[[str], None] | None = None
) -> Sample:
    """Run ``cmd`` once: wall time around it and the child's peak RSS (``os.wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if proc.returncode != 0:
            err.seek(0)
            raise BenchError(
                f"{' '.join(cmd)} exited {proc.returncode}: {err.read().decode()[-2000:]}"
            )
        if check_output is not None:
            out.seek(0)
            check_output(out.read().decode("utf-8", "replace"))
    return Sample(seconds, usage.ru_maxrss / MIB)


def alternate(
    runs: int,
    warmup: int,
    ours: Callable[[], Sample],
    ref: Callable[[], Sample] | None,
) -> tuple[list[Sample], list[Sample]]:
    """Warm-up then ``runs`` pairs, ours then the reference, so noise hits both alike."""
    mine: list[Sample] = []
    theirs: list[Sample] = []
    for i in range(warmup + runs):
        a = ours()
        b = ref() if ref is not None else None
        if i >= warmup:
            mine.append(a)
            if b is not None:
                theirs.append(b)
    return mine, theirs


# ---- the cases ----------------------------------------------------------------------------


def lines_at_least(k: int) -> Callable[[str], None]:
    def check(text: str) -> None:
        if len(text.strip().splitlines()) < k:
            raise BenchError(f"expected at least {k} lines of output, got: {text[:300]!r}")

    return check


def target_for(n: int, small: float, large: float) -> float:
    """The target at this size: the 3,650 one up to 3,650, the 36,500 one beyond."""
    return small if n <= 3_650 else large


def vs_jrnl_cases(ws: Workspace, journal: str, jrnl: str | None) -> list[Case]:
    """The cases against jrnl (without jrnl, only ours run)."""
    out_ours = ws.root / "export.md"
    out_jrnl = ws.root / "jrnl-export.md"
    cfg = ["--config-file", str(ws.jrnl_config)] if jrnl else []
    jrnl = jrnl or "jrnl"  # without jrnl its commands are never run
    n = ws.n
    small_n = n <= 3_650
    many = min(n, 10)
    return [
        (
            "last 10",
            [journal, "list", "-n", "10"],
            [jrnl, *cfg, "-n", "10"],
            False,
            lines_at_least(many),
            0.33 if small_n else 0.25,
        ),
        (
            "search",
            [journal, "list", "--search", SEARCH_WORD],
            [jrnl, *cfg, "-contains", SEARCH_WORD],
            False,
            None,
            0.33 if small_n else 0.25,
        ),
        (
            "Markdown export",
            [journal, "export", "-o", str(out_ours), "--force"],
            [jrnl, *cfg, "--format", "markdown", "--file", str(out_jrnl)],
            False,
            None,
            0.33,
        ),
        (
            "add one entry",
            [journal, "add", ADD_TEXT],
            [jrnl, *cfg, ADD_TEXT],
            True,
            None,
            0.25 if small_n else 0.10,
        ),
        (
            "JSON export",
            [journal, "list", "--json"],
            [jrnl, *cfg, "--format", "json"],
            False,
            None,
            None,
        ),
    ]


def from_jrnl_cases(ws: Workspace, journal: str, jrnl: str | None) -> list[Case]:
    """The cases on a journal moved in from jrnl (``from_jrnl``), as vs_jrnl_cases."""
    cfg = ["--config-file", str(ws.jrnl_config)] if jrnl else []
    jrnl = jrnl or "jrnl"  # without jrnl its commands are never run
    return [
        (
            FROM_JRNL,
            [journal, "list", "--search", SEARCH_WORD],
            [jrnl, *cfg, "-contains", SEARCH_WORD],
            False,
            None,
            0.33,
        )
    ]


def from_jrnl(n: int, folder: Path, root: Path, journal: str, jrnl: str | None) -> Path:
    """A source folder (as ``dataset``'s) whose journal a jrnl user moving in would have.

    jrnl's JSON export of the generated jrnl journal (without jrnl: generate.jrnl_json, close
    to it) imported by ``journal import --format jrnl`` into a fresh journal; jrnl keeps its
    own journal. Made once per run, outside any timed part.
    """
    root.mkdir(parents=True)
    shutil.copyfile(folder / generate.JRNL_TEXT, root / generate.JRNL_TEXT)
    config = root / generate.JRNL_CONFIG
    config.write_text(generate.jrnl_config(root / generate.JRNL_TEXT), encoding="utf-8")
    export = root / "jrnl-export.json"
    env = Workspace(n, None, root / "work", None).env
    env["JOURNAL_DB"] = str(root / generate.OURS)
    if jrnl is not None:
        cmd = [jrnl, "--config-file", str(config), "--format", "json", "--file", str(export)]
        subprocess.run(cmd, env=env, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    else:
        export.write_text(generate.jrnl_json(generate.make_entries(n)), encoding="utf-8")
    done = subprocess.run(
        [journal, "import", str(export), "--format", "jrnl"],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise BenchError(f"journal import --format jrnl failed: {done.stderr[-2000:]}")
    return root


def run_vs_jrnl(
    ws: Workspace,
    args: argparse.Namespace,
    journal: str,
    jrnl: str | None,
    cases: Callable[[Workspace, str, str | None], list[Case]] = vs_jrnl_cases,
) -> list[Row]:
    rows = []
    ws.restore()
    for name, mine, theirs, restore, check, target in cases(ws, journal, jrnl):
        if args.cases and not any(c in name.lower() for c in args.cases):
            continue
        print(f"  {name} ...", file=sys.stderr, flush=True)

        def ours(
            mine: list[str] = mine,
            restore: bool = restore,
            check: Callable[[str], None] | None = check,
        ) -> Sample:
            if restore:
                ws.restore()
            return timed(mine, ws.env, check_output=check)

        def ref(theirs: list[str] = theirs, restore: bool = restore) -> Sample:
            if restore:
                ws.restore()
            return timed(theirs, ws.env)

        a, b = alternate(args.runs, args.warmup, ours, ref if jrnl else None)
        targets = [f"time ≤{target:g}" if target else "", "RSS ≤0.5"] if jrnl else []
        row = Row(name, ws.n, a, b, "jrnl", ", ".join(t for t in targets if t), "-")
        if jrnl:
            time_ratio = ratio(Row.median(a), Row.median(b))
            rss = ratio(Row.peak(a), Row.peak(b))
            ok = (target is None or time_ratio <= target) and rss <= 0.5
            row.verdict = "PASS" if ok else "FAIL"
        rows.append(row)
    ws.restore()
    return rows


# ---- the app's own cases ---------------------------------------------------------------------


def first_frame(ws: Workspace, journal: str) -> Sample:
    """Start ``journal`` in a fresh tmux server; time until the editor is on screen."""
    ws.restore()  # every start is the first of the day: the prompt log is written
    socket = f"journal-bench-{uuid.uuid4().hex[:8]}"
    env = ws.env
    tmux = ["tmux", "-L", socket]
    env_args: list[str] = []
    for key in (
        "HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_STATE_HOME",
        "XDG_CACHE_HOME",
        "JOURNAL_DB",
        "JOURNAL_CONFIG",
    ):
        env_args += ["-e", f"{key}={env[key]}"]
    try:
        start = time.perf_counter()
        subprocess.run(
            [*tmux, "new-session", "-d", "-s", "b", "-x", "110", "-y", "32", *env_args, journal],
            env=env,
            check=True,
            capture_output=True,
        )
        deadline = start + 60
        while True:
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "b"], env=env, capture_output=True, text=True
            ).stdout
            if "New entry" in screen and "Write here" in screen:
                seconds = time.perf_counter() - start
                break
            if time.perf_counter() > deadline:
                size = subprocess.run(
                    [*tmux, "display-message", "-p", "-t", "b", "#{window_width}x#{window_height}"],
                    env=env,
                    capture_output=True,
                    text=True,
                ).stdout.strip()
                raise BenchError(f"the editor never appeared (window {size}); screen:\n{screen}")
            time.sleep(0.01)
        pid = subprocess.run(
            [*tmux, "display-message", "-p", "-t", "b", "#{pane_pid}"],
            env=env,
            capture_output=True,
            text=True,
        ).stdout.strip()
        rss = None
        try:
            # tmux may start the command through a shell: measure the shell's child then.
            if Path(f"/proc/{pid}/comm").read_text().strip() in ("sh", "bash", "dash"):
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
                pid = children[0] if children else pid
            status = Path(f"/proc/{pid}/status").read_text()
            hwm = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
            rss = int(hwm.split()[1]) / MIB
        except (OSError, StopIteration, ValueError):
            pass
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True)
    return Sample(seconds, rss)


def app_probe(ws: Workspace, repeat: int) -> dict[str, Any]:
    ws.restore()
    result = subprocess.run(
        [sys.executable, str(HERE / "app_probe.py"), str(ws.db), "--repeat", str(repeat)],
        env=ws.env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BenchError(f"app_probe failed: {result.stderr[-3000:]}")
    found: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def run_own(ws: Workspace, empty: Workspace, args: argparse.Namespace, journal: str) -> list[Row]:
    rows: list[Row] = []
    n = ws.n

    def want(name: str) -> bool:
        return not args.cases or any(c in name.lower() for c in args.cases)

    if want("tui first frame"):
        if shutil.which("tmux") is None:
            print("  TUI first frame: skipped (tmux is not installed)", file=sys.stderr)
        else:
            print("  TUI first frame ...", file=sys.stderr, flush=True)
            a, b = alternate(
                args.runs,
                args.warmup,
                lambda: first_frame(ws, journal),
                lambda: first_frame(empty, journal),
            )
            target = target_for(n, 1.3, 2.0)
            frame_ratio = ratio(Row.median(a), Row.median(b))
            rows.append(
                Row(
                    "TUI first frame",
                    n,
                    a,
                    b,
                    "empty",
                    f"N/empty ≤{target:g}",
                    "PASS" if frame_ratio <= target else "FAIL",
                )
            )

    if any(want(c) for c in ("search-as-you-type", "open an entry", "save in the app")):
        print("  in the app: search, open, save ...", file=sys.stderr, flush=True)
        mine: list[dict[str, Any]] = []
        theirs: list[dict[str, Any]] = []
        for i in range(args.warmup + args.runs):
            probed = app_probe(ws, args.app_tries), app_probe(empty, args.app_tries)
            if i >= args.warmup:
                mine.append(probed[0])
                theirs.append(probed[1])
        for key, name, limit in (
            ("search", "search-as-you-type", target_for(n, 0.050, 0.300)),
            ("open", "open an entry", None),
            ("save", "save in the app", target_for(n, 0.030, 0.150)),
        ):
            a = [Sample(m[key]) for m in mine if m.get(key) is not None]
            b = [Sample(t[key]) for t in theirs if t.get(key) is not None]
            if not a:
                continue
            ok = limit is None or measured(Row.median(a)) <= limit
            verdict = "-" if limit is None else ("PASS" if ok else "FAIL")
            shown = "-" if limit is None else f"≤{limit * 1000:g} ms"
            rows.append(Row(name, n, a, b, "empty", shown, verdict))

    return rows


def run_version(args: argparse.Namespace, journal: str, env: dict[str, str]) -> list[Row]:
    if args.cases and not any("version" in c for c in args.cases):
        return []
    print("  journal --version ...", file=sys.stderr, flush=True)
    a, _ = alternate(args.runs, args.warmup, lambda: timed([journal, "--version"], env), None)
    ok = measured(Row.median(a)) <= 0.15
    return [Row("journal --version", 0, a, [], "", "≤0.15 s", "PASS" if ok else "FAIL")]


# ---- the table -----------------------------------------------------------------------------

HEADERS = (
    "case",
    "N",
    "ours s",
    "ref s",
    "ratio",
    "ours MiB",
    "ref MiB",
    "RSS ratio",
    "target",
    "result",
)


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table_rows(rows: list[Row]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for r in rows:
        ours, ref = Row.median(r.ours), Row.median(r.ref)
        ours_m, ref_m = Row.peak(r.ours), Row.peak(r.ref)
        times = ours / ref if ours is not None and ref else None
        rss = ours_m / ref_m if ours_m is not None and ref_m else None
        ref_s = _fmt(ref, ".3f") + (f" ({r.ref_label})" if ref is not None else "")
        out.append(
            (
                r.case,
                f"{r.n:,}" if r.n else "-",
                _fmt(ours, ".3f"),
                ref_s,
                _fmt(times, ".2f"),
                _fmt(ours_m, ".0f"),
                _fmt(ref_m, ".0f"),
                _fmt(rss, ".2f") if r.ref_label == "jrnl" else "-",
                r.target,
                r.verdict,
            )
        )
    return out


def render_text(rows: list[Row]) -> str:
    body = [HEADERS, *table_rows(rows)]
    widths = [max(len(line[i]) for line in body) for i in range(len(HEADERS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in body
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(rows: list[Row]) -> str:
    body = table_rows(rows)
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(line) + " |" for line in body]
    return "\n".join(lines)


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM: {ram}",
        f"- {platform.platform()}; Python {platform.python_version()}",
    ]


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# ---- main ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: N = 200, 1 warm-up + 2 runs"
    )
    parser.add_argument(
        "--no-jrnl", action="store_true", help="do not install or run jrnl (ours only)"
    )
    parser.add_argument("--sizes", help="comma-separated journal sizes (default 3650,36500)")
    parser.add_argument("--runs", type=int, help="timed runs per case (default 5; quick 2)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument("--cases", help="only cases whose name contains one of these words")
    parser.add_argument(
        "--app-tries",
        type=int,
        default=3,
        help="tries of each in-app case per run, after one untimed (default 3)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        help="where to write the Markdown table (default tests/bench/RESULTS.md; "
        "--quick writes none unless given)",
    )
    args = parser.parse_args(argv)
    if args.sizes:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    else:
        args.sizes = [200] if args.quick else list(SIZES)
    if args.runs is None:
        args.runs = 2 if args.quick else 5
    if args.results is None and not args.quick:
        args.results = HERE / "RESULTS.md"
    args.cases = [c.strip().lower() for c in args.cases.split(",")] if args.cases else []
    return args


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--encrypted" in argv:
        # Encryption's cost (issue 9): its own cases and table, in tests/bench/encrypted.py.
        import encrypted

        return encrypted.main([a for a in argv if a != "--encrypted"])
    args = parse_args(argv)
    command = "python tests/bench/run.py" + (f" {' '.join(argv or sys.argv[1:])}".rstrip())
    WORK.mkdir(parents=True, exist_ok=True)
    journal = journal_command()
    precompile()
    jrnl, jrnl_ver = (None, None) if args.no_jrnl else ensure_jrnl()
    started = dt.datetime.now().astimezone()
    load_before = load()
    rows: list[Row] = []
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=WORK))
    try:
        empty = Workspace(0, None, scratch / "empty", None)
        empty.root.mkdir(parents=True)
        rows += run_version(args, journal, empty.env)
        for n in args.sizes:
            print(f"N = {n:,}", file=sys.stderr)
            ws = Workspace(n, dataset(n), scratch / f"n{n}", jrnl)
            ws.root.mkdir(parents=True)
            rows += run_vs_jrnl(ws, args, journal, jrnl)
            rows += run_own(ws, empty, args, journal)
            if n <= 3_650 and (not args.cases or any(c in FROM_JRNL for c in args.cases)):
                print(f"N = {n:,}, moved in from jrnl", file=sys.stderr)
                source = from_jrnl(n, dataset(n), scratch / f"n{n}-jrnl-src", journal, jrnl)
                moved = Workspace(n, source, scratch / f"n{n}-from-jrnl", jrnl)
                moved.root.mkdir(parents=True)
                rows += run_vs_jrnl(moved, args, journal, jrnl, from_jrnl_cases)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    table = render_text(rows)
    print(table)
    failed = [r for r in rows if r.verdict == "FAIL"]
    print(
        f"\n{len(rows) - len(failed)} of {len(rows)} rows pass or have no target; "
        f"{len(failed)} fail."
    )
    if args.results:
        notes = [
            "# Benchmark results\n",
            f"Command: `{command}`  ",
            f"Date: {started:%Y-%m-%d %H:%M %z}; load average before: {load_before}, "
            f"after: {load()}\n",
            *machine(),
            f"- ours: journal (this checkout); reference: "
            f"{'jrnl ' + jrnl_ver if jrnl_ver else 'none (--no-jrnl)'}",
            f"- medians of {args.runs} runs after {args.warmup} warm-up, alternating ours / "
            "reference; ratio = ours / reference; MiB = peak RSS of the process",
            '- app cases: "ref" is the same case on an empty journal',
            "- our package is byte-compiled before the runs, as pip does at install time "
            "(precompile() in run.py)",
            "- our journal is put back before each run as journal left it: a hard link to the "
            "generated file"
            + (" and its .journal.json.checked record" if record_checked is not None else "")
            + " (Workspace.restore)",
            "- search, moved in from jrnl: our journal is jrnl's JSON export of its journal, "
            "brought in with `journal import --format jrnl` (from_jrnl)",
            "",
            render_markdown(rows),
            "",
        ]
        args.results.write_text("\n".join(notes), encoding="utf-8")
        print(f"wrote {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
