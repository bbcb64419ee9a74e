"""The words for the check-in's free-text fields, shared by the check-in, its screen and the
Markdown export (which needs only these, not the whole check-in module)."""

from __future__ import annotations

#: Labels for the free-text fields, used by the screen and the Markdown body.
FIELD_LABELS: dict[str, str] = {
    "what_happened": "What happened",
    "noticed": "What I noticed in myself",
    "their_implication": "What it means for them",
    "their_success": "What success looks like for them",
    "hard_moment_ack": "This is a hard moment",
    "shared_humanity": "I am not alone in this",
    "what_i_need": "What I need to hear",
    "own_later": "Mine to own, later",
    "learnt": "What I learnt",
    "keep_doing": "What I will keep doing",
    "do_differently": "What I will do differently",
}
