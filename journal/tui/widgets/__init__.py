"""Widgets of the app: they post messages nested in their own class."""
