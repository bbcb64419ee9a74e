"""Widgets of the app: attributes down, messages up; they never touch the store."""
