"""Modal dialogs: they collect input and dismiss with it; the caller does the work."""
