"""Exporting the highlighted branch to Anki from the home screen."""

import os
import stat
import zipfile

from srs.tui.screens.export import ExportDialog, default_path
from srs.tui.screens.home import HomeScreen


def test_default_path_is_a_slug_of_the_label(tmp_path):
    assert default_path("Data Scaling / Quality!", tmp_path) == tmp_path / "data-scaling-quality.apkg"


async def test_e_exports_the_highlighted_branch_with_progress(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.export_folder = tmp_path
        await pilot.press("down")  # Computational Scaling
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-path").value == str(tmp_path / "computational-scaling.apkg")
        await pilot.press("enter")
        # The dialog closes, then the map tells what was written: wait for both.
        for _ in range(100):
            await pilot.pause(0.05)
            if not isinstance(app.screen, ExportDialog) and app._notifications:
                break
        assert isinstance(app.screen, HomeScreen)
        out = tmp_path / "computational-scaling.apkg"
        assert zipfile.is_zipfile(out)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Wrote ") and m.endswith(f"to {out}") for m in messages)


async def test_a_bad_path_keeps_the_dialog_open_with_an_error(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.export_folder = tmp_path / "missing"
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(30):
            await pilot.pause(0.05)
            if any("does not exist" in n.message for n in app._notifications):
                break
        assert isinstance(app.screen, ExportDialog)
        assert any("does not exist" in n.message for n in app._notifications)
        assert not (tmp_path / "missing").exists()


async def export_in_the_dialog(app, pilot, path) -> None:
    """Open the dialog on the deck's root, type `path`, press enter and wait for the export to end."""
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, ExportDialog)
    app.screen.query_one("#export-path").value = str(path)
    await pilot.press("enter")
    for _ in range(60):
        await pilot.pause(0.05)
        if not isinstance(app.screen, ExportDialog) or not app.screen.running:
            break


async def test_the_dialog_refuses_to_write_over_the_database_and_what_is_not_a_file(make_app, env, tmp_path):
    database = tmp_path / "srs.sqlite3"
    link = tmp_path / "deck.apkg"
    link.symlink_to(database)
    pipe = tmp_path / "pipe.apkg"
    os.mkfifo(pipe)
    env.close()  # its log written into the file, so that the bytes compared are the database's
    before = database.read_bytes()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await export_in_the_dialog(app, pilot, link)
        assert isinstance(app.screen, ExportDialog)  # open, to try another name
        await export_in_the_dialog(app, pilot, pipe)
        assert isinstance(app.screen, ExportDialog)
        messages = [n.message for n in app._notifications]
    assert f"{link}: cannot write the export: it is the database in use ({database})" in messages
    assert f"{pipe}: cannot write the export: it is a named pipe, not a file" in messages
    assert database.read_bytes() == before and link.is_symlink() and stat.S_ISFIFO(os.lstat(pipe).st_mode)


async def test_the_dialog_writes_through_a_link_to_the_file_it_points_at(make_app, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    link = tmp_path / "deck.apkg"
    link.symlink_to(shared / "deck.apkg")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await export_in_the_dialog(app, pilot, link)
        assert isinstance(app.screen, HomeScreen)
    assert link.is_symlink() and zipfile.is_zipfile(shared / "deck.apkg")
    assert os.listdir(shared) == ["deck.apkg"]
