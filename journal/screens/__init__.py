"""Screens of the app (presentation only; they talk to the store through the app)."""
