"""ctrl+s in the same burst as the typing (a text expander, a paste through tmux) saves every
key typed before it, not the part the editor had applied so far (issue 15, item 4)."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.tmux import Tmux, run_cli, start_first_time

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def tmux(env: dict[str, str]):
    session = Tmux(env)
    yield session
    session.kill()


def test_ctrl_s_in_one_burst_with_the_text_saves_all_of_it(tmux: Tmux, env: dict[str, str]) -> None:
    start_first_time(tmux)
    texts = [
        f"race test number {n} " + "with quite a few more words " * 4 + "end" for n in (1, 2, 3)
    ]
    for n, text in enumerate(texts):
        if n:
            tmux.send("C-n")
            tmux.wait_for("New entry")
        # One send-keys call: the text and ctrl+s reach the app as one burst of keys.
        tmux.send(text, "C-s")
        tmux.wait_for(f"Today · {n + 1}")
    tmux.wait_without("unsaved")
    tmux.send("C-q")
    tmux.wait_gone()
    listed = run_cli(env, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    bodies = sorted(entry["body"] for entry in json.loads(listed.stdout))
    assert bodies == sorted(texts)
