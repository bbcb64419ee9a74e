"""Encryption's speed cost: an encrypted journal against the same journal unencrypted.

    python tests/bench/encrypted.py                # N = 3,650, 1 warm-up + 9 runs each
    python tests/bench/encrypted.py --quick        # N = 200, 1 warm-up + 3 runs
    python tests/bench/run.py --encrypted [...]    # the same, from the suite's one command

The target (issue 9): ``journal list -n 10`` and ``journal add`` on an encrypted 3,650-entry
journal take at most 1.5x the time they take on the unencrypted one.

How: the journal of ``generate.py`` is copied twice, and one copy is encrypted in this process
with the KDF cost journal uses for new passphrases (``journal.store.crypto.DEFAULT_N``, or
``--scrypt-n``). Each case then runs the installed ``journal`` alternately on the plain and on
the encrypted copy (the encrypted one reads its passphrase from ``JOURNAL_PASSPHRASE_FILE``,
as a script would), one warm-up, then ``--runs`` timed runs of each; the table shows medians.
Wall time is ``time.perf_counter`` around the child. A run that writes (``add``) starts from a
fresh copy, restored outside the timed part, so every run sees the same N. With ``--results``
the table is also written to a Markdown file.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work" / "encrypted"
PASSPHRASE = "benchmark passphrase, not a secret"
ADD_TEXT = "Benchmark entry, added from the command line. It has two sentences"
TARGET = 1.5

sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (beside this file; run as a script)


def journal_command() -> str:
    """Our ``journal`` script: the one installed beside this Python."""
    beside = Path(sys.executable).parent / "journal"
    if beside.exists():
        return str(beside)
    found = shutil.which("journal")
    if not found:
        raise SystemExit("the journal command is not installed beside this Python")
    return found


def source_journal(n: int) -> Path:
    """The generated journal of ``n`` entries (cached by size and generator version)."""
    folder = WORK / f"n{n}-{generate.generator_version()}"
    db = folder / generate.OURS
    if not db.exists():
        print(f"generating {n:,} entries into {folder} ...", file=sys.stderr)
        WORK.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=f".n{n}-", dir=WORK))
        try:
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(n), str(partial)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(partial / generate.OURS, db)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    return db


def encrypt_copy(plain: Path, target: Path, scrypt_n: int) -> None:
    """``target``: ``plain`` encrypted with the benchmark passphrase (one atomic write)."""
    from journal.store import Store
    from journal.store.crypto import KdfParams, Key

    shutil.copyfile(plain, target)
    os.chmod(target, 0o600)
    store = Store.open(target)
    store.rekey(Key.derive(PASSPHRASE, KdfParams.fresh(scrypt_n)))


class Side:
    """One journal (plain or encrypted) in its own folder, with a pristine copy to restore."""

    def __init__(self, root: Path, pristine: Path, passphrase_file: Path | None) -> None:
        self.root = root
        self.pristine = pristine
        self.db = root / "data" / "journal.json"
        home = root / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNAL_", "XDG_"))}
        env.update(
            HOME=str(home),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_STATE_HOME=str(home / ".local" / "state"),
            JOURNAL_DB=str(self.db),
            JOURNAL_CONFIG=str(root / "config.toml"),
            NO_COLOR="1",
        )
        if passphrase_file is not None:
            env["JOURNAL_PASSPHRASE_FILE"] = str(passphrase_file)
        self.env = env
        self.restore()

    def restore(self) -> None:
        """The journal as prepared, and no backups or drafts (outside any timed part)."""
        data = self.db.parent
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True, mode=0o700)
        (self.root / "home").mkdir(exist_ok=True)
        shutil.copyfile(self.pristine, self.db)
        os.chmod(self.db, 0o600)
        # Putting the pristine copy back is a rollback on purpose: forget the generation seen
        # (journal/store/watermark.py), or the next run refuses the older copy.
        shutil.rmtree(self.root / "home" / ".local" / "state", ignore_errors=True)

    def run(self, args: list[str], *, restore: bool) -> tuple[float, float]:
        """(wall seconds, CPU seconds) of one ``journal ARGS`` here."""
        if restore:
            self.restore()
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [journal_command(), *args],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
            if proc.returncode != 0:
                err.seek(0)
                raise SystemExit(f"journal {' '.join(args)} failed: {err.read().decode()[-1000:]}")
        # CPU time (user + system) is less shaken by other work on the machine than wall time.
        return seconds, usage.ru_utime + usage.ru_stime


CASES = (
    ("last 10 (list -n 10)", ["list", "-n", "10"], False),
    ("add one entry", ["add", ADD_TEXT], True),
)


Row = tuple[str, float, float, float, float]


def measure(n: int, runs: int, warmup: int, scrypt_n: int) -> list[Row]:
    """(case, plain and encrypted median wall s, plain and encrypted median CPU s)."""
    source = source_journal(n)
    with tempfile.TemporaryDirectory(prefix="journal-bench-enc-") as tmp:
        root = Path(tmp)
        pass_file = root / "passphrase"
        pass_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
        os.chmod(pass_file, 0o600)
        sealed = root / "encrypted.json"
        encrypt_copy(source, sealed, scrypt_n)
        plain_side = Side(root / "plain", source, None)
        sealed_side = Side(root / "sealed", sealed, pass_file)
        rows = []
        for name, args, restore in CASES:
            print(f"  {name} ...", file=sys.stderr, flush=True)
            plain_times: list[tuple[float, float]] = []
            sealed_times: list[tuple[float, float]] = []
            for i in range(warmup + runs):
                # Alternating, so the machine's ups and downs hit both sides alike.
                a = plain_side.run(args, restore=restore)
                b = sealed_side.run(args, restore=restore)
                if i >= warmup:
                    plain_times.append(a)
                    sealed_times.append(b)
            rows.append(
                (
                    name,
                    statistics.median(t[0] for t in plain_times),
                    statistics.median(t[0] for t in sealed_times),
                    statistics.median(t[1] for t in plain_times),
                    statistics.median(t[1] for t in sealed_times),
                )
            )
        return rows


def render(rows: list[Row], n: int) -> list[str]:
    """The table as Markdown lines (the target is on wall time)."""
    lines = [
        "| case | N | unencrypted s | encrypted s | ratio | CPU s: unenc. / enc. | CPU ratio "
        "| target | result |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, plain, sealed, plain_cpu, sealed_cpu in rows:
        ratio = sealed / plain
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        lines.append(
            f"| {name} | {n:,} | {plain:.3f} | {sealed:.3f} | {ratio:.2f} | "
            f"{plain_cpu:.3f} / {sealed_cpu:.3f} | {sealed_cpu / plain_cpu:.2f} | ≤{TARGET} "
            f"| {verdict} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table, optionally write it; exit 1 when a target is missed."""
    from journal.store import crypto

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, help="journal size (default 3650; quick 200)")
    parser.add_argument("--runs", type=int, help="timed runs per side (default 9; quick 3)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument("--quick", action="store_true", help="N = 200 and 3 runs: a smoke test")
    parser.add_argument(
        "--scrypt-n",
        type=int,
        default=crypto.DEFAULT_N,
        help=f"scrypt cost of the encrypted copy (default journal's: {crypto.DEFAULT_N})",
    )
    parser.add_argument("--results", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    n = args.n or (200 if args.quick else 3_650)
    runs = args.runs or (3 if args.quick else 9)
    load_before = os.getloadavg()
    rows = measure(n, runs, args.warmup, args.scrypt_n)
    load_after = os.getloadavg()
    table = render(rows, n)
    about = [
        f"Command: `python tests/bench/encrypted.py {' '.join(argv or sys.argv[1:])}`".rstrip(),
        f"scrypt N={args.scrypt_n}, r={crypto.DEFAULT_R}, p={crypto.DEFAULT_P}; medians of "
        f"{runs} runs after {args.warmup} warm-up, alternating unencrypted / encrypted",
        f"{platform.platform()}; Python {platform.python_version()}; {os.cpu_count()} CPUs; "
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}",
    ]
    print("\n".join([*about, "", *table]))
    if args.results is not None:
        text = "# Encryption's speed cost\n\n" + "  \n".join(about) + "\n\n" + "\n".join(table)
        args.results.write_text(text + "\n", encoding="utf-8")
    return 0 if all(row[2] / row[1] <= TARGET for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
