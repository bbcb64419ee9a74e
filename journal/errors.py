"""Errors the domain core raises: each says what is wrong and what to do about it."""

from __future__ import annotations


class JournalError(Exception):
    """Base of every error meant for the user: a message plus a hint on what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class EntryError(JournalError, ValueError):
    """An entry (or a field of one) is not valid; nothing was saved."""


class DatabaseError(JournalError):
    """The journal file cannot be used as it is; it has not been changed."""


class DatabaseBusyError(JournalError):
    """Another journal process holds the lock for longer than we are willing to wait."""


class ConfigError(JournalError):
    """The configuration file is broken."""


class PromptPackError(JournalError):
    """A prompt pack is broken; it was skipped."""
