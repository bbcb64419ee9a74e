"""Markdown out and back in: making it safe, rendering, the writers, importers. No Textual."""
