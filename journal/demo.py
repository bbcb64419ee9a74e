"""The demo journal: about five weeks of a customer-success lead's entries, written by us.

``journal --demo`` opens the app on a temporary journal filled from here, and the snapshot
tests and README screenshots show it, so it has to read like a real person's journal: warm,
specific, a little untidy. The writer leads customer success at a software company that sells
booking and scheduling software; the people in it are made up.

Everything is built with the real builders (``Entry.new``, :func:`journal.checkin.build_entry`,
:func:`~journal.due.mark_done`, :func:`~journal.due.build_revisit`), so the demo is
valid data by construction. It is deterministic: days are counted back from ``today``, times
are fixed, and uids are derived from a name (uuid5), so the same ``today`` always gives the
same journal.

Domain code: no Textual.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol

from journal.checkin import CheckinAnswers, Compassion, FollowUpPlan, build_entry
from journal.due import RevisitAnswers, build_revisit, mark_done
from journal.models import Entry, PromptRef, normalise_tags
from journal.prompts import PromptLibrary

#: Namespace of the demo's uids (uuid5 of a short name), so they never change between runs.
_UID_NAMESPACE = uuid.UUID("4f1c2a7e-9b3d-5e60-8a41-d3c0b7e5a912")
#: The prompt the demo's Today shows (logged as shown today): it fits the open follow-ups.
TODAY_PROMPT = "their-side-003"


def _uid(name: str) -> str:
    return uuid.uuid5(_UID_NAMESPACE, f"journal-demo/{name}").hex


def _moment(today: date, ago: int, at: str, tz: tzinfo) -> datetime:
    hour, minute = (int(part) for part in at.split(":"))
    return datetime.combine(today - timedelta(days=ago), time(hour, minute), tzinfo=tz)


# ---- reflections and notes --------------------------------------------------------------


@dataclass(frozen=True)
class _Written:
    """A reflection (``prompt`` set) or a quick note, counted in days back from today.

    ``answers`` answer the prompt's follow-up questions in order, each under a ``##`` heading
    (as ctrl+t puts them in the editor); an empty string skips a question. ``edit`` is a later
    addition: (days ago, time, text appended to the body).
    """

    name: str
    ago: int
    at: str
    body: str
    prompt: str | None = None
    answers: tuple[str, ...] = ()
    title: str = ""
    tags: tuple[str, ...] = ()
    starred: bool = False
    edit: tuple[int, str, str] | None = None


_WRITTEN: tuple[_Written, ...] = (
    _Written(
        "qbr-deck",
        34,
        "18:40",
        prompt="perfectionism-001",
        title="The review deck, version eleven",
        body=(
            "I rebuilt the Larkfield quarterly review deck three times today. The numbers "
            "were right by lunch. After that I was nudging charts and rewording a slide about "
            "ticket volumes that Priya will look at for ten seconds.\n\n"
            "What I was really guarding against: her asking a question I can't answer on the "
            "spot. No amount of formatting fixes that. Knowing the account does."
        ),
        answers=(
            "Nothing bad. Marco would have had time to read it before the call instead of "
            "skimming it on his phone in the lift.",
            "Me. Only me.",
        ),
    ),
    _Written(
        "ines-plan",
        33,
        "08:15",
        title="Ines's first fortnight",
        tags=("team",),
        body=(
            "Plan for Ines's first two weeks:\n\n"
            "- shadow three customer calls with me and one with Sam\n"
            "- read the Larkfield and Northgate account notes\n"
            "- answer tickets from the shared queue; I read her replies before they go out, "
            "for the first week only\n"
            "- a proper lunch on day one, not a sandwich at the desk\n\n"
            "Remember how lost I felt in my first month here. Tell her that out loud."
        ),
    ),
    _Written(
        "export-their-side",
        31,
        "19:05",
        prompt="their-side-002",
        body=(
            "Priya rang about the route export running slowly in the mornings. From my side "
            "it looked like a performance ticket: priority two, something for the next "
            "sprint.\n\n"
            "From her side: her dispatchers start at half past five. If the export isn't "
            "ready by six, forty drivers wait in the yard while a supervisor phones each one "
            "with their first drop. Her manager sees the late deliveries on a dashboard by "
            "nine."
        ),
        answers=(
            "The drivers waiting. I was picturing a report; she was picturing a yard full of vans.",
            "\u201cWhat happens on your side when this is late?\u201d Simple, and I skipped it.",
        ),
        edit=(
            30,
            "18:10",
            "*Next day:* it failed outright this morning. The check-in from today has the rest.",
        ),
    ),
    _Written(
        "timeframes",
        28,
        "20:30",
        prompt="follow-up-004",
        title="Choosing the date I promise",
        tags=("promises",),
        body=(
            "Sent Priya the write-up today, a day earlier than I said I would. It felt good, "
            "and it only worked because I gave myself three days when my gut wanted to say "
            "\u201ctomorrow\u201d.\n\n"
            "Most of the time I pick what sounds good on the call. \u201cEnd of day\u201d is "
            "my reflex, usually said before I know who I need to ask."
        ),
        answers=(
            "- Count the people I depend on. Each one adds a day.\n"
            "- Never set a date while the customer is still upset. Promise a time to come "
            "back with a date instead.\n"
            "- Say the date out loud, and write it down before we hang up.",
        ),
    ),
    _Written(
        "warning-signs",
        25,
        "21:10",
        prompt="respond-not-react-004",
        title="My early warning signs",
        starred=True,
        body=(
            "**Body:** jaw tight, leaning in towards the screen, typing while they are still "
            "talking.\n\n"
            "**Voice:** faster, a little higher, and sentences that start with \u201cWell, "
            "actually\u201d.\n\n"
            "**Thoughts:** \u201cthey haven't read the docs\u201d, \u201cthis isn't my "
            "fault\u201d, and drafting my defence before they have finished."
        ),
        answers=(
            "The typing. My hands start building the explanation before my head has decided to.",
            "Take my hands off the keyboard and put them flat on the desk. Then ask one "
            "question before saying anything else. It sounds silly written down, but it "
            "worked on Priya's call last week.",
        ),
    ),
    _Written(
        "complaint-about-sam",
        24,
        "17:45",
        prompt="imperfect-moments-006",
        tags=("team", "feedback"),
        body=(
            "A customer's office manager emailed me to say Sam had been curt on a ticket. I "
            "read the thread first: Sam's answer was correct and three lines long, sent to "
            "someone who had written three worried paragraphs.\n\n"
            "I thanked her, told her I had read it, and said I would call her myself that "
            "afternoon. I didn't defend Sam, and I didn't hand him over either."
        ),
        answers=(
            "Reading the whole thread before replying to anyone.",
            "To her: \u201cYou needed more than a fix; you needed to know it wouldn't happen "
            "again, and we didn't give you that.\u201d To Sam, in private: \u201cYour answer "
            "was right. She needed two more sentences.\u201d He nodded. I think he had "
            "suspected as much.",
        ),
    ),
    _Written(
        "template-win",
        22,
        "12:20",
        title="Small win",
        body=(
            "Tom at Northgate sent a two-line email: the new reminder template went out to "
            "all four clinics and every address was right. A couple of months ago that same "
            "template was behind one of my worst calls of the year. Saving this so I "
            "remember the ending, not just the call."
        ),
    ),
    _Written(
        "dont-know-yet",
        21,
        "18:55",
        prompt="perfectionism-016",
        body=(
            "Today, on purpose. Larkfield's new IT lead asked whether our single sign-on "
            "supports group sync with their identity provider. I had a half-remembered "
            "answer ready and a strong urge to say it confidently.\n\n"
            "Instead: \u201cI don't know yet. I'll check with our engineers and come back to "
            "you by tomorrow afternoon.\u201d\n\n"
            "He said \u201cGreat, thanks\u201d and moved on to his next question. That was "
            "the whole reaction. All the dread had been on my side of the call.\n\n"
            "The half-remembered answer, it turns out, was wrong."
        ),
    ),
    _Written(
        "hand-over-migration",
        18,
        "19:30",
        prompt="failure-as-learning-004",
        body=(
            "Larkfield want five years of route history moved into the new reporting module. "
            "I said yes on the call, because saying no to Priya right now feels impossible. "
            "But I am not a data person, and Wen in solutions engineering has done three "
            "migrations like this."
        ),
        answers=(
            "It feels like admitting I can't cope, just when I most want Priya to see us as "
            "dependable. Which is backwards: a migration done badly by me would cost far more "
            "trust than an introduction.",
            "\u201cPriya, I want this done properly, so I've asked Wen to lead it. She has "
            "moved data like yours before and knows where it goes wrong. I'll stay on every "
            "call.\u201d",
        ),
    ),
    _Written(
        "feedback-columns",
        15,
        "20:15",
        prompt="perfectionism-015",
        title="Two columns",
        tags=("feedback",),
        starred=True,
        body=(
            "Ruth's \u201cbottleneck\u201d, still ringing a day later.\n\n"
            "**What it says about the work**\n\n"
            "- escalations queue behind one person\n"
            "- first replies have slowed to eleven hours\n"
            "- only I can approve credits and refunds\n\n"
            "**What I heard it say about me**\n\n"
            "- I'm not good at this job\n"
            "- I've let the team down"
        ),
        answers=(
            "The first. Every line in it can be changed, and nothing in the second column "
            "actually came out of Ruth's mouth.",
            "Let Sam and Ines approve credits up to an agreed limit. That alone would unblock "
            "half the queue.",
        ),
    ),
    _Written(
        "missed-time",
        11,
        "19:50",
        prompt="follow-up-010",
        tags=("promises",),
        body=(
            "I missed one this week: the triage rota for Ruth, promised in two days and sent "
            "in five. What I usually do is go quiet and hope to deliver something impressive "
            "enough that nobody mentions the delay.\n\n"
            "This time I messaged her on the morning it was due to say it would be late, and "
            "when it would arrive. She replied with a thumbs-up. That was all.\n\n"
            "The most reliable version of me doesn't wait for the impressive draft. She sends "
            "the short, honest update the moment she knows a date will slip."
        ),
        answers=("The feeling that a late update is an admission. It is. That's the point.",),
    ),
    _Written(
        "good-things",
        10,
        "17:30",
        title="Good things this week",
        body=(
            "- Wen's first call with Priya: calm, concrete, forty minutes, no drama\n"
            "- Ines approved her first credit on her own and told me afterwards, exactly as "
            "we agreed\n"
            "- lunch outside, twice\n"
            "- Sam explaining the new rota to the team better than I did"
        ),
    ),
    _Written(
        "say-it-back",
        9,
        "18:20",
        prompt="their-side-005",
        tags=("team", "growth"),
        body=(
            "Practising it with Ines. She listened in while a clinic's office manager "
            "explained, at length, why their booking page showed the wrong times. Before she "
            "offered the fix I asked her to say back what she had heard.\n\n"
            "Her version: \u201cYour Dublin clinic's booking page is showing Central European "
            "times, so patients have been arriving an hour out all week and the front desk "
            "is taking the heat.\u201d The customer went quiet, then said: \u201cYes. "
            "Exactly that.\u201d The rest of the call took four minutes.\n\n"
            "The fix was one setting. The summary was what made her feel helped."
        ),
    ),
    _Written(
        "three-things",
        7,
        "21:30",
        prompt="self-compassion-013",
        title="Three things",
        tags=("rest",),
        body=(
            "1. The weekly calls with my sister, which I keep cutting short.\n"
            "2. The allotment, which is mostly weeds now.\n"
            "3. Swimming, before the water gets properly cold.\n\n"
            "Tonight: ring my sister back and let the call run as long as it runs. No laptop "
            "in the room."
        ),
        edit=(
            7,
            "23:05",
            "*Later:* an hour and ten minutes. She is thinking of changing jobs and wanted to "
            "talk it through. I'm glad I wasn't half-reading tickets.",
        ),
    ),
    _Written(
        "not-under-the-bus",
        5,
        "20:05",
        prompt="imperfect-moments-004",
        tags=("outage",),
        body=(
            "After yesterday it would be easy to say \u201cengineering shipped a broken "
            "release\u201d. It would even be true, and it would make me feel cleaner. But "
            "Priya doesn't buy software from engineering. She buys it from us, and I am the "
            "\u201cus\u201d she talks to.\n\n"
            "Jonas came by this morning, grey in the face, and said sorry to me before I had "
            "said a word. We are all carrying this one."
        ),
        answers=(
            "- \u201cWe got this wrong\u201d, not \u201cthey got this wrong\u201d.\n"
            "- \u201cHere is what we changed\u201d, not \u201chere is who made the "
            "mistake\u201d.\n"
            "- Names only when giving credit.",
        ),
        edit=(
            4,
            "09:10",
            "*Next morning:* Jonas says the full root cause needs a few more days. The sync "
            "check that was skipped is back in the release pipeline already.",
        ),
    ),
    _Written(
        "dreaded-report",
        2,
        "19:40",
        prompt="follow-up-012",
        body=(
            "The Larkfield incident report. It is due today and it isn't finished, because "
            "the root cause isn't final.\n\n"
            "What makes it uncomfortable: sending Glen something incomplete feels like "
            "handing him more proof that we don't know what we're doing. So I keep polishing "
            "paragraph three.\n\n"
            "The smallest honest version is half a page: what we know, what we don't know "
            "yet, the check we have already added, and the date the full report will follow."
        ),
        answers=(
            "Far more than a half-finished report. Silence now would tell them the outage "
            "mattered more to them than it did to us.",
        ),
    ),
    _Written(
        "first-things",
        0,
        "07:50",
        title="First things",
        body=(
            "- Half a page to Priya and Glen: what we know, what we don't, and when the full "
            "report comes. Before anything else.\n"
            "- Call Tom about the refund.\n"
            "- Look back at the Northgate check-in from three months ago. Curious what I'll "
            "make of it now.\n"
            "- Leave at a sensible hour."
        ),
    ),
)

#: Prompts shown and put aside before the one answered that day: (days ago, prompt id).
_SKIPPED: tuple[tuple[int, str], ...] = (
    (25, "respond-not-react-012"),
    (9, "failure-as-learning-002"),
)
#: Days the app was opened and a prompt shown, but nothing was written: rest days.
_SHOWN_ONLY: tuple[tuple[int, str], ...] = (
    (26, "perfectionism-006"),
    (12, "self-compassion-010"),
    (0, TODAY_PROMPT),
)


# ---- check-ins --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checkin:
    """A check-in counted in days back from today; ``done`` marks its follow-up done then."""

    name: str
    ago: int
    at: str
    answers: CheckinAnswers
    due_in: int | None = None  # follow-up due, in days from the check-in's day
    done: tuple[int, str, str] | None = None  # (days ago, time, note)
    tags: tuple[str, ...] = ()
    starred: bool = False


def _checkins() -> tuple[_Checkin, ...]:
    # A function, not a constant: CheckinAnswers is mutable, and each build gets fresh ones.
    return (
        _Checkin(
            "double-charge",
            104,
            "13:30",
            CheckinAnswers(
                intensity_before=8,
                what_happened=(
                    "Priya's finance team found Larkfield had been charged twice for 40 seats. "
                    "She called to ask how that happens, and whether she should check every "
                    "invoice from us from now on."
                ),
                reaction="reacted",
                noticed=(
                    "I walked her through how our billing prorates seats. For ten minutes. She "
                    "hadn't asked how it works; she had asked whether she could trust us."
                ),
                their_implication=(
                    "Her finance director questioning her choice of supplier, and her checking "
                    "our invoices by hand every month."
                ),
                their_success="The money back, and never having to think about our invoices.",
                compassion=Compassion(
                    hard_moment_ack="That was a hard call, and it is fine that it got to me.",
                    what_i_need="I did what I could with what I knew in that moment.",
                ),
                own_later=(
                    "I explained when she needed reassurance. I'll tell her so once the credit "
                    "has gone through."
                ),
                follow_up=FollowUpPlan(action="Send Priya the corrected invoice and credit note"),
                learnt="An explanation is not an apology, however accurate it is.",
                do_differently=(
                    "Ask what the mistake means for her before explaining how it happened."
                ),
                intensity_after=4,
            ),
            due_in=3,
            done=(102, "11:30", "Sent with a short apology; she replied within the hour."),
        ),
        _Checkin(
            "wrong-address",
            90,
            "15:45",
            CheckinAnswers(
                intensity_before=7,
                what_happened=(
                    "After a template change, Northgate's appointment reminders went out with "
                    "the main clinic's address for all four sites. Eleven patients turned up at "
                    "the wrong branch in one morning. Tom called and read me two of their "
                    "complaints."
                ),
                reaction="reacted",
                noticed=(
                    "I talked over him to point out that the template was theirs to check. "
                    "Technically true. It made him angrier and it didn't help a single patient."
                ),
                their_implication=(
                    "Patients missing appointments, reception staff taking the blame, and Tom "
                    "answering to four clinic owners."
                ),
                their_success=(
                    "Reminders he never has to think about, and a way to see what patients "
                    "will get before it goes out."
                ),
                compassion=Compassion(
                    hard_moment_ack="I am allowed to find this hard.",
                    shared_humanity=(
                        "Getting things wrong sometimes is part of being a person, not proof I "
                        "am bad at this."
                    ),
                    what_i_need="One rough call does not undo the trust I have built.",
                ),
                own_later=(
                    "Apologise to Tom for talking over him. Whose template it was can wait."
                ),
                follow_up=FollowUpPlan(
                    action="Walk Tom through the template preview for each clinic"
                ),
                learnt="Being right about whose fault it was got me nothing.",
                do_differently="Let him finish. Then ask what he needs first.",
                intensity_after=5,
            ),
            due_in=4,
            done=(87, "10:20", ""),
        ),
        _Checkin(
            "export-failed",
            30,
            "11:20",
            CheckinAnswers(
                intensity_before=8,
                what_happened=(
                    "The route export failed completely at 05:40. Priya called at 08:15, after "
                    "her team had spent two hours phoning drivers with their routes by hand. "
                    "She said it was the second bad morning in a week and asked whether anyone "
                    "here was actually looking at it."
                ),
                reaction="paused",
                noticed=(
                    "My first words were going to be that the ticket was already with "
                    "engineering. I caught it, put my pen down, and asked her what the morning "
                    "had been like instead."
                ),
                their_implication=(
                    "Late deliveries for their biggest retail client, overtime for dispatch, "
                    "and Priya explaining it upwards before she has any answers herself."
                ),
                their_success=(
                    "An export that is ready by six every day, and hearing the cause from us "
                    "before her manager asks her for it."
                ),
                compassion=Compassion(
                    hard_moment_ack="That was a hard call, and it is fine that it got to me.",
                    shared_humanity=(
                        "Anyone looking after a customer this important has had a morning like "
                        "this one."
                    ),
                    what_i_need="I can own my part without carrying all of it.",
                ),
                own_later=(
                    "We let the slow-export ticket sit for nine days as a priority two. That "
                    "part is ours, and I'll say so once the fix is in, not while she is still "
                    "on the phone to drivers."
                ),
                follow_up=FollowUpPlan(action="Send Priya the root cause and the fix date"),
                learnt=(
                    "Asking what her morning had looked like calmed the call faster than any "
                    "explanation would have."
                ),
                keep_doing="Pausing before the first sentence.",
                do_differently=(
                    "Ask what a slow ticket means for the customer on the day it comes in, "
                    "not after it breaks."
                ),
                intensity_after=5,
            ),
            due_in=3,
            done=(28, "17:10", "A day early. She forwarded it to her manager."),
            tags=("calls",),
            starred=True,
        ),
        _Checkin(
            "promised-feature",
            20,
            "14:05",
            CheckinAnswers(
                intensity_before=6,
                what_happened=(
                    "On the renewal call Tom said Marco had promised them multi-site reporting "
                    "by the new year. It isn't on any roadmap I have seen. Tom asked me "
                    "straight out whether they had been sold something that doesn't exist."
                ),
                reaction="responded",
                noticed=(
                    "I wanted to protect Marco and I wanted to protect the renewal, and neither "
                    "was Tom's question. I said I didn't know what had been promised, that I "
                    "would find out, and that he'd get a straight answer either way."
                ),
                their_implication=(
                    "He recommended us to the clinic owners partly on that feature. If it isn't "
                    "coming, he is the one who looks careless."
                ),
                their_success=(
                    "A clear yes or no with a date, and no surprises in front of the owners."
                ),
                compassion=Compassion(
                    hard_moment_ack="I am allowed to find this hard.",
                    what_i_need=(
                        "I didn't make the promise, but I can be the one who keeps things honest."
                    ),
                ),
                own_later="Nothing about the sale is mine. How quickly he hears the truth is.",
                follow_up=FollowUpPlan(action="Get Tom a straight answer on multi-site reports"),
                learnt=(
                    "\u201cI don't know, and I'll find out\u201d kept his trust better than a "
                    "confident guess would have."
                ),
                do_differently="Check what sales promised before a renewal call, not during it.",
                intensity_after=3,
            ),
            due_in=2,
            done=(18, "16:40", "It's planned for the second quarter. Told Tom, and Marco."),
        ),
        _Checkin(
            "bottleneck",
            16,
            "16:30",
            CheckinAnswers(
                intensity_before=7,
                what_happened=(
                    "In our one-to-one Ruth showed me the numbers: first replies on my team "
                    "have gone from four hours to eleven this month. She said escalations wait "
                    "for me, and that I have become the bottleneck."
                ),
                reaction="reacted",
                noticed=(
                    "I listed every reason: the outage backlog, Ines being new, Larkfield "
                    "taking my whole week. All true, and none of it what she asked. I heard my "
                    "voice speed up and kept going anyway."
                ),
                their_implication=(
                    "She has to explain the numbers to the leadership team, and she can't "
                    "defend a team that depends on one person being free."
                ),
                their_success="Tickets that keep moving while I'm on a call.",
                compassion=Compassion(
                    hard_moment_ack=(
                        "This is difficult right now. It will not feel like this for ever."
                    ),
                    shared_humanity=(
                        "Every lead who has grown a team has had to stop being the one who "
                        "answers everything."
                    ),
                    what_i_need="Being needed is not the same as being useful.",
                ),
                own_later=(
                    "Tell Ruth tomorrow that she was right, and that I was defending instead "
                    "of listening."
                ),
                follow_up=FollowUpPlan(action="Draft a triage rota and share it with Ruth"),
                learnt=(
                    "Under the defending there was something true: I like being the one who "
                    "saves the day."
                ),
                do_differently=(
                    "Ask for the numbers before the one-to-one, so they aren't a surprise."
                ),
                intensity_after=7,
            ),
            due_in=2,
            done=(11, "10:05", "Three days late. I told Ruth it would be, before she had to ask."),
            tags=("feedback",),
        ),
        _Checkin(
            "sync-outage",
            6,
            "12:40",
            CheckinAnswers(
                intensity_before=9,
                what_happened=(
                    "Calendar sync was down from 08:50 to 11:55. Bookings made in that window "
                    "never reached customers' calendars, and Larkfield's dispatch ran on stale "
                    "schedules all morning. Glen, Priya's director, joined her call and asked "
                    "me twice whether we test anything before we release it."
                ),
                reaction="paused",
                noticed=(
                    "When he said \u201camateurs\u201d my face went hot, and I had a whole "
                    "sentence about our test coverage ready. I wrote \u201cfacts first\u201d on "
                    "a sticky note and read him the timeline instead."
                ),
                their_implication=(
                    "Missed collection slots, drivers at the wrong sites, and Glen answering to "
                    "his own board for a supplier he didn't choose."
                ),
                their_success=(
                    "Knowing exactly which bookings were affected, today, and seeing proof it "
                    "won't happen again before the renewal comes round."
                ),
                compassion=Compassion(
                    hard_moment_ack=(
                        "Three hours of worried customers is a lot. Being shaken by it is not a "
                        "failure."
                    ),
                    shared_humanity="Everyone who does this work has had a call like this one.",
                    what_i_need=(
                        "I didn't cause the outage. I can still be the one who handles it well."
                    ),
                ),
                own_later=(
                    "We released without the sync check Jonas had asked for. Once the report "
                    "is ready I'll tell Priya and Glen plainly: what broke, that it was ours, "
                    "and what changes."
                ),
                follow_up=FollowUpPlan(action="Send Larkfield the incident report"),
                learnt=(
                    "A written timeline calmed Glen more than any reassurance could. Facts are "
                    "kind when people are frightened."
                ),
                keep_doing="The sticky note.",
                intensity_after=6,
            ),
            due_in=4,
            tags=("outage", "calls"),
            starred=True,
        ),
        _Checkin(
            "refund-muddle",
            3,
            "15:10",
            CheckinAnswers(
                intensity_before=5,
                what_happened=(
                    "Tom called about Northgate's refund for the outage day. Finance had told "
                    "him ten working days; someone on my team had told him five. He was short "
                    "with me and asked which of us he should believe."
                ),
                reaction="responded",
                noticed=(
                    "I didn't argue about who said what. I asked when he needed the money by, "
                    "and he relaxed a little."
                ),
                their_success=(
                    "The refund in their account before their month-end close, and one person "
                    "to ask."
                ),
                own_later=(
                    "Two different answers came from our side. I'll tell Tom that was our "
                    "muddle once it's sorted."
                ),
                follow_up=FollowUpPlan(action="Call Tom: has the refund arrived?"),
                learnt=(
                    "One question about his deadline did more than any explanation of how "
                    "our finance team works."
                ),
                intensity_after=3,
            ),
            due_in=3,
        ),
        _Checkin(
            "dropped-import",
            1,
            "10:45",
            CheckinAnswers(
                intensity_before=6,
                what_happened=(
                    "Carla, the office manager at Brookside School, two weeks into using us, "
                    "found the staff import had dropped 61 of 140 people. Parents' evening "
                    "bookings open soon. She said she'd been told this would take an "
                    "afternoon, and it had taken her whole week."
                ),
                reaction="responded",
                noticed=(
                    "I felt the familiar tightness and the urge to explain the file format. I "
                    "asked what she needed working first instead. It turned out to be only the "
                    "teachers, which is a much smaller job."
                ),
                their_implication=(
                    "If teachers aren't in the system parents can't book, and she is the one "
                    "the head teacher will ask."
                ),
                their_success=(
                    "Every teacher bookable before the booking window opens, without her "
                    "checking it all by hand."
                ),
                compassion=Compassion(
                    shared_humanity=(
                        "Someone else is sitting with the same knot in their stomach today."
                    ),
                    what_i_need="This is fixable, and I have fixed harder things.",
                ),
                own_later=(
                    "Our onboarding guide says an import takes \u201can afternoon\u201d. That "
                    "set her expectation, not her. I'll raise it with the onboarding team."
                ),
                follow_up=FollowUpPlan(action="Re-run Brookside's staff import with Carla"),
                learnt="Asking what matters first turned a week-long mess into an hour's work.",
                do_differently=(
                    "Check the import counts at the end of every onboarding call, not a week later."
                ),
                intensity_after=4,
            ),
            due_in=4,
        ),
    )


#: The revisit of the oldest check-in, written a day after its look-back date came round.
_REVISIT_OF = "double-charge"
_REVISIT_AT = (13, "19:20")
_REVISIT = RevisitAnswers(
    learnt_since=(
        "The double charge was never the real problem. Priya could live with a billing "
        "mistake. What shook her was me explaining our invoicing while her finance team were "
        "asking her questions she couldn't answer."
    ),
    course_corrected=(
        "I ask what a problem means for the customer before I say anything about how it "
        "happened. On the export call last month I did it without thinking, and that call "
        "went completely differently."
    ),
    outcome_changed=(
        "Larkfield renewed for two years, and Priya now calls me before she escalates, not after."
    ),
)


# ---- building ---------------------------------------------------------------------------


def _prompt_ref(library: PromptLibrary, prompt_id: str) -> PromptRef:
    prompt = library.get(prompt_id)
    if prompt is None:
        raise LookupError(f"the demo answers prompt {prompt_id!r}, which no pack has")
    return PromptRef(prompt.id, prompt.pack, prompt.text)


def _written_entry(item: _Written, today: date, tz: tzinfo, library: PromptLibrary) -> Entry:
    body = item.body
    ref = None
    if item.prompt is not None:
        ref = _prompt_ref(library, item.prompt)
        prompt = library.get(item.prompt)
        assert prompt is not None
        if len(item.answers) > len(prompt.followups):
            raise ValueError(f"{item.name}: more answers than {item.prompt} has questions")
        for question, answer in zip(prompt.followups, item.answers, strict=False):
            if answer:
                body += f"\n\n## {question}\n\n{answer}"
    entry = Entry.new(
        body + "\n",
        title=item.title,
        kind="reflection" if ref is not None else "note",
        day=today - timedelta(days=item.ago),
        tags=item.tags,
        prompt=ref,
        starred=item.starred,
        moment=_moment(today, item.ago, item.at, tz),
    )
    entry = replace(entry, uid=_uid(item.name))
    if item.edit is not None:
        ago, at, addition = item.edit
        entry = entry.edited(_moment(today, ago, at, tz), body=f"{entry.body}\n{addition}\n")
    return entry


def _checkin_entry(item: _Checkin, today: date, tz: tzinfo) -> Entry:
    day = today - timedelta(days=item.ago)
    answers = item.answers
    if item.due_in is not None:
        answers.follow_up.due = (day + timedelta(days=item.due_in)).isoformat()
    entry = build_entry(answers, day, _moment(today, item.ago, item.at, tz))
    entry = replace(
        entry, uid=_uid(item.name), tags=normalise_tags(item.tags), starred=item.starred
    )
    if item.done is not None:
        ago, at, note = item.done
        entry = mark_done(entry, _moment(today, ago, at, tz), note)
    return entry


def demo_entries(today: date, tz: tzinfo, library: PromptLibrary | None = None) -> list[Entry]:
    """The demo journal's entries as of ``today``, oldest first; the same for the same day.

    About five weeks of reflections, notes and check-ins, plus two check-ins from about three
    months earlier: one already looked back on (a revisit entry), one whose look-back is due
    today. Follow-ups: kept on time, kept late, overdue, due today and due in a few days.
    """
    library = library if library is not None else PromptLibrary.load()
    entries = [_written_entry(item, today, tz, library) for item in _WRITTEN]
    checkins = {item.name: _checkin_entry(item, today, tz) for item in _checkins()}
    entries.extend(checkins.values())
    ago, at = _REVISIT_AT
    entries.append(
        replace(
            build_revisit(
                checkins[_REVISIT_OF],
                _REVISIT,
                today - timedelta(days=ago),
                _moment(today, ago, at, tz),
            ),
            uid=_uid(f"revisit/{_REVISIT_OF}"),
            starred=True,
        )
    )
    entries.sort(key=lambda e: (e.day, e.created))
    return entries


def demo_prompt_log(today: date, library: PromptLibrary | None = None) -> list[dict[str, Any]]:
    """The prompt log that goes with :func:`demo_entries`: ``{day, prompt, pack, status}``.

    Each answered prompt was shown then answered that day; on two days a prompt was put aside
    for another; on a few days a prompt was shown and nothing written; today's prompt is shown.
    """
    library = library if library is not None else PromptLibrary.load()
    events: list[tuple[int, int, str, str]] = []  # (days ago, order in the day, prompt, status)
    for ago, prompt_id in _SKIPPED:
        events += [(ago, 0, prompt_id, "shown"), (ago, 1, prompt_id, "skipped")]
    for item in _WRITTEN:
        if item.prompt is not None:
            events += [(item.ago, 2, item.prompt, "shown"), (item.ago, 3, item.prompt, "answered")]
    events += [(ago, 0, prompt_id, "shown") for ago, prompt_id in _SHOWN_ONLY]
    events.sort(key=lambda e: (-e[0], e[1]))
    log = []
    for ago, _, prompt_id, status in events:
        ref = _prompt_ref(library, prompt_id)
        log.append(
            {
                "day": (today - timedelta(days=ago)).isoformat(),
                "prompt": ref.id,
                "pack": ref.pack,
                "status": status,
            }
        )
    return log


class DemoJournal(Protocol):
    """What :func:`fill_demo` writes to; :class:`journal.store.Store` has all three."""

    def transaction(self) -> AbstractContextManager[None]:
        """Several writes under one lock and one disk write."""
        ...

    def add_many(self, entries: Sequence[Entry]) -> object:
        """Save several new entries at once."""
        ...

    def log_prompt(self, day: str, prompt_id: str, pack: str, status: str) -> None:
        """Record that a prompt was shown, skipped or answered on ``day``."""
        ...


def fill_demo(store: DemoJournal, today: date, tz: tzinfo) -> None:
    """Write the demo journal into ``store`` in one transaction (one disk write)."""
    library = PromptLibrary.load()
    entries = demo_entries(today, tz, library)
    log = demo_prompt_log(today, library)
    with store.transaction():
        store.add_many(entries)
        for record in log:
            store.log_prompt(record["day"], record["prompt"], record["pack"], record["status"])
