"""The app's screens: home (the map), study, the pause between chunks, the summary, and dialogs."""
