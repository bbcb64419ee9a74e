"""Our own calm themes (presentation layer: imports Textual)."""

from __future__ import annotations

from textual.theme import Theme

CALM_DARK = Theme(
    name="journal-calm",
    primary="#88B4A8",
    secondary="#B7A4D6",
    accent="#E3B98A",
    warning="#E3B98A",
    error="#E08A8A",
    success="#9CC59A",
    foreground="#E4E0D7",
    background="#1C2124",
    surface="#232A2E",
    panel="#2C3539",
    dark=True,
)

CALM_LIGHT = Theme(
    name="journal-calm-light",
    primary="#3F7468",
    secondary="#6E5A96",
    accent="#A86A2C",
    warning="#A86A2C",
    error="#B04848",
    success="#4C7F4A",
    foreground="#2B2A27",
    background="#F6F2EA",
    surface="#EEE8DC",
    panel="#E4DCCB",
    dark=False,
)

THEMES = (CALM_DARK, CALM_LIGHT)
