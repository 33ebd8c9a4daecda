"""The terminal app: a concept map to explore and study sessions to learn it.

`srs.tui.app.SrsApp` is the app; it is handed an `Env` (database and clock) by the command
line or by a test. Screens live in `screens/`, reusable widgets in `widgets/`, the database
calls the screens make in `data.py`, and `text.py` turns deck text into literal terminal text.
"""
