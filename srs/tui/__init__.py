"""The terminal app: a concept map to explore and study sessions to learn it.

`srs.tui.app.SrsApp` is the app; it is handed an `Env` (database and clock) by the command
line or by a test, and hands it on to the screens it opens. Screens live in `screens/`, reusable
widgets in `widgets/`; a screen reads and writes through `srs.service`, and asks the app to move
to another screen by posting a message of `messages.py`. `text.py` turns deck text into literal
terminal text.
"""
