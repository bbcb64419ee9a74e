"""Crash harness: journal writers killed with SIGKILL at random moments, then checked.

Two kinds of writer, run alone or together:

- ``store``: a Python process using :class:`journal.store.Store` directly, adding entries and
  updating earlier ones in a loop. After each call returns it prints ``A uid`` or
  ``U uid version``: from that moment the change must survive.
- ``cli``: the real installed ``journal add`` command (the console script beside this
  Python). It prints the new uid only after the save returned.

When the kill comes: a store writer is killed once it has promised a random number of changes
(read from its output, so every such round promises some, however slow the machine); ``journal
add`` at a random moment of its life, measured here and now. A kill lands or the writer got
there first: the harness counts the kills that landed, and the tests run rounds until enough
have, bounded by a count of rounds, never by a clock.

After every kill the harness checks that the file parses (strictly, as the store reads it),
that every promised entry is there with at least the promised version of its text, that no
document is invalid, and that opening the store removes leftover temp files.

Used by ``tests/system/test_crash_harness.py`` and ``test_encryption_crash.py`` (a few dozen
kills) and ``tests/bench/crash.py`` (hundreds).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from journal.models import Entry
from journal.paths import backups_dir
from journal.store import Store
from journal.store.crypto import Key, unseal
from journal.store.jsonfile import decode_database

#: Words every writer puts in what it saves: an encrypted journal's files must not hold them.
PLAIN_MARKERS = (b"version ", b'"crash"', b"thoughtful paragraph")

STORE_WRITER = textwrap.dedent(
    """
    import os, random, sys
    from pathlib import Path
    from journal.models import Entry
    from journal.store import Store

    key = None
    if os.environ.get("JOURNAL_PASSPHRASE_FILE"):  # an encrypted journal (issue 9)
        from journal.store.crypto import Key, read_file_header, read_passphrase_file

        header = read_file_header(Path(sys.argv[1]))
        passphrase = read_passphrase_file(Path(os.environ["JOURNAL_PASSPHRASE_FILE"]))
        key = Key.derive(passphrase, header.params) if header else None
    store = Store.open(sys.argv[1], key=key)
    rng = random.Random(int(sys.argv[2]))
    mine = []
    n = 0
    while True:
        n += 1
        if mine and n % 3 == 0:
            uid = rng.choice(mine)
            old = store.get(uid)
            store.update(old.edited(body="version %d " % n + "y" * (n % 300)), expected=old)
            sys.stdout.write("U %s %d\\n" % (uid, n))
        else:
            entry = Entry.new("version %d " % n + "x" * (n % 300), tags=["crash"])
            store.add(entry)
            mine.append(entry.uid)
            sys.stdout.write("A %s\\n" % entry.uid)
        sys.stdout.flush()
    """
)


def journal_script() -> Path:
    """The installed ``journal`` console script of this environment."""
    script = Path(sys.executable).parent / "journal"
    if not script.exists():
        raise RuntimeError(f"the journal command is not installed beside {sys.executable}")
    return script


def leftover_temps(db: Path) -> list[Path]:
    """Temp files of interrupted writes: beside the journal and in its backups folder."""
    found = list(db.parent.glob(f".{db.name}.*.tmp"))
    found += backups_dir(db).glob(".journal-*.tmp")
    return sorted(found)


def version_of(body: str) -> int:
    """The ``version N`` a writer put at the start of a body."""
    return int(body.split()[1])


@dataclass
class Stats:
    """What a run did; ``lost``, ``torn`` and ``invalid`` must stay 0."""

    rounds: int = 0
    kills: int = 0
    kills_by_writer: dict[str, int] = field(default_factory=dict)
    exited_before_kill: int = 0
    kills_with_temp_left: int = 0
    temps_left_after_open: int = 0
    promised_entries: int = 0
    promised_updates: int = 0
    lost: int = 0
    stale_updates: int = 0
    torn: int = 0
    invalid: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when nothing promised was lost and every file was whole."""
        return not self.failures

    def summary(self) -> str:
        """A few lines for people."""
        by_writer = ", ".join(f"{k} {v}" for k, v in sorted(self.kills_by_writer.items()))
        lines = [
            f"rounds: {self.rounds}  kills: {self.kills} ({by_writer})  "
            f"writers that finished before their kill: {self.exited_before_kill}",
            f"kills that left a temp file (killed mid-write): {self.kills_with_temp_left}; "
            f"temp files still there after the next open: {self.temps_left_after_open}",
            f"promised: {self.promised_entries} entries, {self.promised_updates} updates; "
            f"lost: {self.lost}; stale updates: {self.stale_updates}; torn files: "
            f"{self.torn}; invalid documents: {self.invalid}",
            f"time: {self.seconds:.1f} s",
            "RESULT: " + ("nothing lost" if self.ok else f"FAILED: {self.failures[:5]}"),
        ]
        return "\n".join(lines)


class CrashHarness:
    """Runs rounds of start-writers, kill at a random moment, verify."""

    def __init__(
        self,
        db: Path,
        *,
        seed: int = 20261122,
        prefill: int = 0,
        key: Key | None = None,
        passphrase_file: Path | None = None,
    ) -> None:
        self.db = db
        self.rng = random.Random(seed)
        self.env = {**os.environ, "JOURNAL_DB": str(db)}
        #: An encrypted journal: the writers read the passphrase from this file, the checks
        #: decrypt with ``key`` and also look for plain text in every file left on disk.
        self.key = key
        if passphrase_file is not None:
            self.env["JOURNAL_PASSPHRASE_FILE"] = str(passphrase_file)
        self.promised: set[str] = set()
        self.versions: dict[str, int] = {}
        self.stats = Stats()
        if prefill:
            # A bigger file makes each save take longer, so more kills land mid-write.
            store = Store.open(db, key=key)
            filler = "a thoughtful paragraph about a hard call. " * 10
            store.add_many(
                [Entry.new(f"version 0 {filler}", tags=["fill"]) for _ in range(prefill)]
            )
            self.promised.update(e.uid for e in store.entries())
            self.versions.update({uid: 0 for uid in self.promised})
        self.add_seconds = self._calibrate()

    def _calibrate(self) -> float:
        """How long one `journal add` takes here and now (a busy machine is much slower).

        Only where in its life a `journal add` is killed depends on it; what the tests assert
        counts kills that landed, so a wrong guess costs rounds, never a failure.
        """
        started = time.monotonic()
        proc = self._start("cli")
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode(errors="replace")
        self._promise(out.decode().strip(), 1)
        return max(time.monotonic() - started, 0.05)

    # ---- writers -------------------------------------------------------------------------

    def _start(self, kind: str) -> subprocess.Popen[bytes]:
        if kind == "store":
            args = [
                sys.executable,
                "-c",
                STORE_WRITER,
                str(self.db),
                str(self.rng.randrange(1 << 30)),
            ]
        else:
            text = f"version 1 cli entry {self.rng.randrange(1 << 30)}"
            args = [str(journal_script()), "add", text, "--tag", "crash"]
        return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env)

    def _wait_for_kill(self, procs: list[tuple[str, subprocess.Popen[bytes]]]) -> list[bytes]:
        """Wait for the moment of the kill; return the output lines already read.

        With a store writer: until it has promised 3 to 10 changes (the third is always an
        update), read line by line, so each such round promises changes on any machine, then
        a moment more. `journal add` alone: a random moment of its life as measured, or just
        after it finished.
        """
        for kind, proc in procs:
            if kind == "store":
                assert proc.stdout is not None
                wanted = self.rng.randint(3, 10)
                # readline() returns b"" at the end: a writer that died stops the wait.
                early = [proc.stdout.readline() for _ in range(wanted)]
                # Then a random moment within the next few saves. The writer never stops, so
                # the kill lands whatever this wait is on a given machine.
                time.sleep(self.rng.uniform(0.0, 0.05))
                return early
        time.sleep(self.rng.uniform(0.0, 1.1 * self.add_seconds))
        return []

    def _collect(
        self,
        kinds: tuple[str, ...],
        kind: str,
        proc: subprocess.Popen[bytes],
        round_no: int,
        early: list[bytes],
    ) -> None:
        still_running = proc.poll() is None
        if still_running:
            proc.send_signal(signal.SIGKILL)
        # Read to the end after the kill (the writer is gone, so this cannot block), starting
        # with the lines _wait_for_kill already took from the same buffered pipe.
        assert proc.stdout is not None and proc.stderr is not None
        out = b"".join(early) + proc.stdout.read()
        err = proc.stderr.read()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        if still_running and proc.returncode == -signal.SIGKILL:
            self.stats.kills += 1
            self.stats.kills_by_writer[kind] = self.stats.kills_by_writer.get(kind, 0) + 1
        else:
            self.stats.exited_before_kill += 1
            if kinds == ("cli",):
                # It finished before a kill timed from the measured life: the machine got
                # faster. Aim earlier from now on, so that more kills land.
                self.add_seconds = max(0.8 * self.add_seconds, 0.01)
            if proc.returncode != 0:
                self.stats.failures.append(
                    f"round {round_no}: {kind} writer failed ({proc.returncode}): "
                    f"{err.decode(errors='replace')[-500:]}"
                )
        # The last line may be cut short by the kill; only whole lines were promised.
        lines = out.decode(errors="replace").split("\n")[:-1]
        for line in lines:
            parts = line.split()
            if kind == "cli" and len(parts) == 1 and len(parts[0]) == 32:
                self._promise(parts[0], 1)
            elif parts[:1] == ["A"] and len(parts) == 2:
                self._promise(parts[1], 0)
            elif parts[:1] == ["U"] and len(parts) == 3:
                self.stats.promised_updates += 1
                self.versions[parts[1]] = max(self.versions.get(parts[1], 0), int(parts[2]))
            elif line:
                self.stats.failures.append(f"round {round_no}: odd output line {line!r}")

    def _promise(self, uid: str, version: int) -> None:
        if uid not in self.promised:
            self.stats.promised_entries += 1
        self.promised.add(uid)
        self.versions.setdefault(uid, version)

    # ---- one round -----------------------------------------------------------------------

    def round(self, kinds: tuple[str, ...]) -> None:
        """Start one writer of each kind, kill them all at one random moment, then verify."""
        round_no = self.stats.rounds
        self.stats.rounds += 1
        procs = [(kind, self._start(kind)) for kind in kinds]
        early = self._wait_for_kill(procs)
        for kind, proc in procs:
            self._collect(kinds, kind, proc, round_no, early if kind == "store" else [])
        self.verify(round_no)

    def verify(self, round_no: int) -> None:
        """The checks that must hold after any kill."""
        if leftover_temps(self.db):
            self.stats.kills_with_temp_left += 1
        if not self.db.exists():
            if self.promised:
                self.stats.failures.append(f"round {round_no}: promised entries but no file")
            return
        if self.key is not None:
            self._check_nothing_plain(round_no)
        try:
            plain = unseal(self.db.read_bytes(), self.key)
            decode_database(plain, self.db)
        except Exception as exc:  # any failure to parse is the one thing that must not happen
            self.stats.torn += 1
            self.stats.failures.append(f"round {round_no}: the file does not parse: {exc}")
            return
        store = Store.open(self.db, key=self.key)
        journal_temps = list(self.db.parent.glob(f".{self.db.name}.*.tmp"))
        if journal_temps:
            self.stats.temps_left_after_open += len(journal_temps)
            self.stats.failures.append(f"round {round_no}: temp files left after open")
        stored = {e.uid: e for e in store.entries()}
        if store.invalid:
            self.stats.invalid += len(store.invalid)
            self.stats.failures.append(f"round {round_no}: invalid documents {store.invalid[:2]}")
        missing = self.promised - set(stored)
        if missing:
            self.stats.lost += len(missing)
            self.stats.failures.append(f"round {round_no}: {len(missing)} promised entries lost")
        for uid, version in self.versions.items():
            entry = stored.get(uid)
            if entry is not None and version_of(entry.body) < version:
                self.stats.stale_updates += 1
                self.stats.failures.append(f"round {round_no}: update {version} of {uid} lost")
        raw = orjson.loads(plain)
        if len(raw.get("entries", {})) != len(stored):
            self.stats.failures.append(f"round {round_no}: duplicate or hidden documents")

    def _check_nothing_plain(self, round_no: int) -> None:
        """Journal, temp files (left by a kill mid-write) and backups: ciphertext only."""
        files = [self.db, *leftover_temps(self.db)]
        folder = backups_dir(self.db)
        if folder.is_dir():
            files += [p for p in folder.iterdir() if p.is_file()]
        for path in files:
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            if any(marker in data for marker in PLAIN_MARKERS):
                self.stats.failures.append(f"round {round_no}: plain text on disk in {path}")

    def run(self, rounds: int, pattern: tuple[tuple[str, ...], ...]) -> Stats:
        """``rounds`` rounds cycling through ``pattern`` (e.g. (("cli",), ("store", "cli")))."""
        started = time.monotonic()
        for i in range(rounds):
            self.round(pattern[i % len(pattern)])
        self.stats.seconds += time.monotonic() - started
        return self.stats

    def run_until(
        self,
        kills: dict[str, int],
        pattern: tuple[tuple[str, ...], ...],
        *,
        max_rounds: int,
    ) -> Stats:
        """Rounds cycling through ``pattern`` until each writer kind in ``kills`` has had at
        least that many kills land, a check failed, or ``max_rounds`` rounds ran."""
        started = time.monotonic()
        i = 0
        while (
            i < max_rounds
            and self.stats.ok
            and any(
                self.stats.kills_by_writer.get(kind, 0) < wanted for kind, wanted in kills.items()
            )
        ):
            self.round(pattern[i % len(pattern)])
            i += 1
        self.stats.seconds += time.monotonic() - started
        return self.stats
