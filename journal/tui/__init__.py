"""The full-screen app (Textual only): the app, its screens, dialogs and widgets."""
