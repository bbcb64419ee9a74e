"""A deterministic journal generator for the benchmarks: the same N entries, ours and jrnl's.

``generate(n, folder)`` writes, from one seeded random stream:

- ``journal.json``: our journal, written through :class:`journal.store.Store` in ONE write
  (``add_many``), so it is exactly what the app would have saved;
- ``jrnl.txt``: the same entries as a jrnl 4.x plain-text journal (``[YYYY-MM-DD HH:MM] Title``
  then the body, a blank line between entries, tags as ``@tag`` in the text);
- ``jrnl.yaml``: a jrnl config file pointing at ``jrnl.txt`` (use ``jrnl --config-file``).

One entry per day going back from :data:`END_DAY`, 150-400 words of reflective prose built
from word lists and sentence templates on the product's themes (calls, trust, follow-ups,
growth), with accents, emoji and CJK mixed in; tags on about a third; a check-in with a
follow-up on about one day in twelve; some Markdown headings and lists.

Run it by hand: ``python tests/bench/generate.py 3650 /tmp/bench``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from journal.models import Entry, PromptRef
from journal.store import Store

SEED = 20261122
END_DAY = date(2026, 11, 21)
ZONE = timezone(timedelta(hours=1))
OURS = "journal.json"
JRNL_TEXT = "jrnl.txt"
JRNL_CONFIG = "jrnl.yaml"

# ---- word lists -------------------------------------------------------------------------

PEOPLE = [
    "the customer",
    "a caller from Lyon",
    "my manager",
    "Zoë from support",
    "the account lead",
    "an engineer in São Paulo",
    "a client in Kraków",
    "Herr Müller",
    "the new hire",
    "a long-time customer",
    "Ingrid",
    "Mateo",
    "Priya",
    "Søren",
    "Chloé",
    "田中さん",
    "李先生",
    "the team lead",
    "a frustrated user",
    "the vendor",
]
FEELINGS = [
    "defensive",
    "curious",
    "tired",
    "calm",
    "anxious",
    "proud",
    "embarrassed",
    "relieved",
    "impatient",
    "hopeful",
    "frustrated",
    "grateful",
    "unsure",
    "steady",
    "rattled",
]
TOPICS = [
    "the refund",
    "a late delivery",
    "the outage",
    "the invoice",
    "a missed deadline",
    "the rollout",
    "the migration",
    "a billing error",
    "the résumé review",
    "the contract",
    "the onboarding call",
    "a bug report",
    "the roadmap",
    "the escalation",
    "the café order",
]
ACTIONS = [
    "listened without interrupting",
    "asked what success looks like for them",
    "said back what I heard",
    "jumped in with an explanation",
    "apologised for my part",
    "promised a follow-up by Friday",
    "took a breath before answering",
    "asked how it affected their week",
    "defended the process",
    "admitted I did not know",
    "wrote down their exact words",
    "offered a workaround",
    "checked my assumptions",
]
LESSONS = [
    "perfect is not the goal; a good recovery builds more trust than never failing",
    "curiosity works better than defence",
    "the task and the emotion are two different things",
    "asking what and how opens people up more than asking why",
    "keeping the time I promised matters more than the size of the fix",
    "I am not always the right person, and saying so early is kind",
    "the inner critic is loud but rarely right",
    "managing expectations early saves a storm later",
    "an apology lands better once the heat has gone",
    "small experiments teach faster than plans",
]
PLACES = [
    "at my desk",
    "on the train",
    "in the kitchen",
    "after lunch",
    "before the stand-up",
    "late in the evening",
    "on a walk",
    "in the quiet room",
    "at the café downstairs",
]
OPENERS = [
    "Today",
    "This morning",
    "This afternoon",
    "Earlier",
    "Right after the call",
    "Before the meeting",
    "Once the dust settled",
]
# A word or two of colour at the end of a sentence. Accents can turn up anywhere; emoji turn
# up in about one entry in three and CJK in about one in eight (see ``_flavours``): mostly-
# English prose, as most journals are, with the odd character outside Latin-1.
ACCENTED = [
    "(déjà vu)",
    "(naïve, maybe)",
    "— a façade",
    "über-tired",
    "jalapeño-hot",
    "à la carte",
    "— crème brûlée for later",
    "(smörgåsbord of tasks)",
]
EMOJI = ["🙂", "🌱", "☕", "💬", "🙏", "📞", "✨", "🔥", "😅", "🤝"]
CJK = ["(学习)", "(信頼)", "(感谢)", "(成長)", "(대화)", "(ありがとう)"]
TAGS = [
    "calls",
    "growth",
    "trust",
    "follow-up",
    "feedback",
    "team",
    "learning",
    "kindness",
    "perfectionism",
    "curiosity",
    "apology",
    "work",
    "health",
    "family",
    "réflexion",
]
TITLES = [
    "A hard call about {topic}",
    "What {person} taught me",
    "Listening first",
    "Owning {topic}",
    "Scout, not soldier",
    "Three months later",
    "Slowing down",
    "Following up on {topic}",
    "The part that was mine",
    "Small wins",
    "When I felt {feeling}",
    "Trust, one promise at a time",
    "Notes after {topic}",
]
TEMPLATES = [
    "{opener} I talked with {person} about {topic} and I felt {feeling}.",
    "I noticed that I {action}, and it changed the tone of the conversation.",
    "Looking back, {lesson}.",
    "{person} was {feeling} at first, which made sense once I {action}.",
    "I wrote this {place}, still a little {feeling} {flavour}.",
    "Next time I want to remember that {lesson}.",
    "What did success look like for {person}? Mostly clarity about {topic}.",
    "The soldier in me wanted to win the argument; the scout wanted to understand {topic}.",
    "I {action} and then {action2}, which felt better than last week.",
    "It is fine that it was not perfect {flavour}; {lesson}.",
    "Honestly, I was {feeling} {place}, and that is allowed.",
    "I promised {person} an update on {topic} and I kept the time I gave.",
    "Their words, not mine: \u201cwe just need to know what happens next\u201d.",
    "A small thing {place}: I {action}.",
]
PROMPTS = [
    ("first-reaction", "calls", "What was your first reaction, and what did you do next?"),
    ("their-words", "perspective", "How would they describe the problem, in their own words?"),
    ("own-it", "ownership", "What part of today is yours to own, once the heat has gone?"),
    ("kept-promise", "follow-up", "Which promise did you keep this week, and how did it land?"),
    ("inner-critic", "kindness", "What is the inner critic saying, and what would a friend say?"),
]


def _flavours(rng: random.Random) -> list[str]:
    """The colour words one entry may use."""
    out = list(ACCENTED)
    if rng.random() < 1 / 3:
        out += EMOJI
    if rng.random() < 1 / 8:
        out += CJK
    return out


def _fill(rng: random.Random, template: str, flavour: list[str] | None = None) -> str:
    return template.format(
        opener=rng.choice(OPENERS),
        person=rng.choice(PEOPLE),
        feeling=rng.choice(FEELINGS),
        topic=rng.choice(TOPICS),
        action=rng.choice(ACTIONS),
        action2=rng.choice(ACTIONS),
        lesson=rng.choice(LESSONS),
        place=rng.choice(PLACES),
        flavour=rng.choice(flavour or ACCENTED),
    )


def _sentence(rng: random.Random, flavour: list[str]) -> str:
    text = _fill(rng, rng.choice(TEMPLATES), flavour)
    return text[0].upper() + text[1:]


def _body(rng: random.Random, words: int, flavour: list[str]) -> str:
    """Paragraphs of sentences until ``words`` words, now and then a heading or a list."""
    paragraphs: list[str] = []
    count = 0
    while count < words:
        if paragraphs and rng.random() < 0.08:
            block = "## " + _fill(rng, rng.choice(TITLES))
        elif paragraphs and rng.random() < 0.08:
            block = "\n".join(f"- {_sentence(rng, flavour)}" for _ in range(rng.randint(2, 4)))
        else:
            block = " ".join(_sentence(rng, flavour) for _ in range(rng.randint(2, 5)))
        paragraphs.append(block)
        count += len(block.split())
    return "\n\n".join(paragraphs)


def _uid(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _checkin(rng: random.Random, day: date, moment: datetime, flavour: list[str]) -> Entry:
    """A check-in entry built by the app's own domain code, with a deterministic uid."""
    from journal.checkin import CheckinAnswers, Compassion, FollowUpPlan, build_entry

    due = day + timedelta(days=rng.randint(1, 10))
    before = rng.randint(4, 10)
    answers = CheckinAnswers(
        intensity_before=before,
        what_happened=" ".join(_sentence(rng, flavour) for _ in range(rng.randint(2, 4))),
        reaction=rng.choice(("reacted", "paused", "responded")),
        noticed=_sentence(rng, flavour),
        their_implication=_sentence(rng, flavour),
        their_success=_sentence(rng, flavour),
        compassion=Compassion(
            "This is a hard moment " + rng.choice(flavour),
            "Everyone gets calls like this.",
            _sentence(rng, flavour),
        ),
        own_later=_sentence(rng, flavour),
        follow_up=FollowUpPlan(
            f"Call {rng.choice(PEOPLE)} about {rng.choice(TOPICS)}", due.isoformat()
        ),
        learnt=_fill(rng, "{lesson}").capitalize() + ".",
        keep_doing=_sentence(rng, flavour),
        do_differently=_sentence(rng, flavour),
        intensity_after=max(0, before - rng.randint(0, 5)),
    )
    entry = build_entry(answers, day, moment)
    follow_up = entry.follow_up
    # Nearly every promise from the past was kept, some late; a few are still open.
    if follow_up is not None and due < END_DAY and rng.random() < 0.97:
        done_day = due + timedelta(days=rng.choice((-1, 0, 0, 0, 1, 3)))
        done = datetime.combine(done_day, moment.timetz()).isoformat(timespec="seconds")
        follow_up = replace(follow_up, done=done)
    # Old revisits were looked back on or waved away long ago; recent ones are still due.
    revisit_on = entry.revisit_on
    if revisit_on is not None and revisit_on < (END_DAY - timedelta(days=60)).isoformat():
        revisit_on = None if rng.random() < 0.97 else revisit_on
    return replace(entry, uid=_uid(rng), follow_up=follow_up, revisit_on=revisit_on)


def make_entries(n: int, seed: int = SEED) -> list[Entry]:
    """N entries, one per day going back from :data:`END_DAY`, oldest first."""
    rng = random.Random(seed)
    out: list[Entry] = []
    for back in range(n - 1, -1, -1):
        day = END_DAY - timedelta(days=back)
        moment = datetime(
            day.year, day.month, day.day, rng.randint(6, 22), rng.randint(0, 59), tzinfo=ZONE
        )
        flavour = _flavours(rng)
        if rng.random() < 1 / 12:
            out.append(_checkin(rng, day, moment, flavour))
            continue
        body = _body(rng, rng.randint(150, 400), flavour)
        title = _fill(rng, rng.choice(TITLES)) if rng.random() < 0.6 else ""
        tags = rng.sample(TAGS, rng.randint(1, 3)) if rng.random() < 1 / 3 else []
        prompt = None
        if rng.random() < 0.4:
            pid, pack, text = rng.choice(PROMPTS)
            prompt = PromptRef(pid, pack, text)
        stamp = moment.isoformat(timespec="seconds")
        out.append(
            Entry(
                uid=_uid(rng),
                kind="reflection",
                created=stamp,
                updated=stamp,
                day=day.isoformat(),
                title=title,
                body=body,
                tags=tuple(tags),
                prompt=prompt,
                starred=rng.random() < 0.05,
            )
        )
    return out


# ---- jrnl's format ----------------------------------------------------------------------


def jrnl_entry(entry: Entry) -> str:
    """One entry in jrnl's plain-text format: ``[date] Title`` line, body, tags as @tags.

    jrnl takes the first sentence as the title, so an entry without a title gets its first
    line there. No body line may start with ``[`` (jrnl would read it as a date).
    """
    moment = datetime.fromisoformat(entry.created)
    body = entry.body.strip("\n")
    if entry.title:
        title = entry.title if entry.title[-1] in ".?!" else entry.title + "."
    else:
        title, _, body = body.partition("\n")
        body = body.strip("\n")
    if entry.tags:
        body += "\n\n" + " ".join("@" + t for t in entry.tags)
    star = " *" if entry.starred else ""
    return f"[{moment:%Y-%m-%d %H:%M}] {title}{star}\n{body}\n"


def jrnl_config(journal_file: Path) -> str:
    """A jrnl 4.x YAML config with one plain-text journal and no prompts to answer."""
    return (
        "version: '4.6'\n"
        "journals:\n"
        f"  default:\n    journal: {journal_file}\n"
        "editor: ''\n"
        "encrypt: false\n"
        "template: false\n"
        "default_hour: 9\n"
        "default_minute: 0\n"
        "timeformat: '%Y-%m-%d %H:%M'\n"
        "tagsymbols: '@'\n"
        "highlight: false\n"
        "linewrap: 79\n"
        "indent_character: '|'\n"
        "colors:\n  body: none\n  date: none\n  tags: none\n  title: none\n"
    )


def write_jrnl(entries: list[Entry], folder: Path) -> None:
    """``jrnl.txt`` and ``jrnl.yaml`` in ``folder``."""
    text = "\n".join(jrnl_entry(e) for e in entries)
    (folder / JRNL_TEXT).write_text(text, encoding="utf-8")
    (folder / JRNL_CONFIG).write_text(jrnl_config(folder / JRNL_TEXT), encoding="utf-8")


def jrnl_json(entries: list[Entry]) -> str:
    """The entries in the shape of jrnl 4.x's JSON export, for ``run.py --no-jrnl``.

    With no jrnl to export :func:`jrnl_entry`'s text, this comes close: the title is the
    ``[date]`` line's rest (jrnl would end an untitled entry's at its first sentence), the body
    what follows, its ``@tags`` included as jrnl keeps them.
    """
    items = []
    for entry in entries:
        head, _, body = jrnl_entry(entry).partition("\n")
        stamp, _, title = head[1:].partition("] ")
        starred = title.endswith(" *")
        items.append(
            {
                "title": title.removesuffix(" *"),
                "body": body.strip("\n"),
                "date": stamp[:10],
                "time": stamp[11:],
                "tags": ["@" + t for t in entry.tags],
                "starred": starred,
            }
        )
    return json.dumps({"tags": {}, "entries": items}, ensure_ascii=False, indent=4)


def generator_version() -> str:
    """Changes whenever this file, the model or the store's code changes: caches are rebuilt."""
    import journal.models
    import journal.store

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(journal.models.__file__).read_bytes())
    for path in sorted(Path(journal.store.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def generate(n: int, folder: Path, seed: int = SEED) -> Path:
    """Write both journals of ``n`` entries into ``folder`` (created); returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = make_entries(n, seed)
    db = folder / OURS
    if db.exists():
        db.unlink()
    store = Store.open(db)
    store.add_many(entries)  # one write, as the brief of the suite asks
    store.close()
    write_jrnl(entries, folder)
    return folder


def main(argv: list[str] | None = None) -> int:
    """``python tests/bench/generate.py N FOLDER``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of entries (one per day)")
    parser.add_argument("folder", type=Path, help="where to write the journals")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    generate(args.n, args.folder, args.seed)
    for name in (OURS, JRNL_TEXT):
        size = (args.folder / name).stat().st_size
        print(f"{args.folder / name}: {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
