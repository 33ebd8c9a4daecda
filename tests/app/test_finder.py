"""The concept finder (`/`) on a deck of a few thousand concepts: the best matches first, only
the last query's results when keys come quickly, and escape at any moment, search running or not."""

from __future__ import annotations

import asyncio
import json

import pytest
from app_support import import_deck
from textual import events
from textual.command import CommandList, CommandPalette

from srs.tui.app import SrsApp
from srs.tui.screens.home import HomeScreen
from srs.tui.widgets import concept_finder
from srs.tui.widgets.concept_tree import ConceptTree

GENERATED = 3000
NAMED = ["Metadata", "Big Data", "Data Parallelism", "Data", "Dynamic Pruning"]
"""Under the root, in this order, before the generated concepts and the "Scaling Laws" branch."""


@pytest.fixture
def big_env(empty_env, tmp_path):
    """A map of 3,009 concepts: the named ones, "Scaling Laws › Chinchilla", and "Generated" with
    "Concept 0" to "Concept 2999" below it, each "Concept i" under "Concept (i - 1) // 8"."""
    nodes = [{"id": "map", "label": "Map"}] + [{"id": f"x{i}", "label": label} for i, label in enumerate(NAMED)]
    nodes += [
        {"id": "gen", "label": "Generated"},
        {"id": "laws", "label": "Scaling Laws"},
        {"id": "chin", "label": "Chinchilla"},
    ]
    nodes += [{"id": f"c{i}", "label": f"Concept {i}", "definition": f"Number {i}."} for i in range(GENERATED)]
    links = [("map", f"x{i}") for i in range(len(NAMED))] + [
        ("map", "gen"),
        ("map", "laws"),
        ("laws", "chin"),
        ("gen", "c0"),
    ]
    links += [(f"c{(i - 1) // 8}", f"c{i}") for i in range(1, GENERATED)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"nodes": nodes, "links": [{"source": s, "target": t} for s, t in links]}))
    import_deck(empty_env, path)
    return empty_env


PATH_2999 = "Map › Generated › Concept 0 › Concept 5 › Concept 46 › Concept 374"


def keys(text: str) -> list[str]:
    return ["space" if character == " " else character for character in text]


def listed(palette) -> list[tuple[str, str]]:
    """The finder's list: (label, path) of each concept in it."""
    rows = []
    for index in range(palette.query_one(CommandList).option_count):
        label, _, path = palette.query_one(CommandList).get_option_at_index(index).prompt.plain.partition("\n")
        rows.append((label, path))
    return rows


async def until(pilot, condition) -> None:
    """Let the app run until `condition()` holds (the test fails on its assertion otherwise)."""
    for _ in range(500):
        if condition():
            return
        await pilot.pause(0.02)


def searching_done(app, palette) -> bool:
    return not any(worker.node is palette and not worker.is_finished for worker in app.workers)


async def type_keys(pilot, text: str) -> None:
    """Keys as a fast typist sends them: all at once, none waiting for the one before."""
    for key, character in zip(keys(text), text, strict=True):
        pilot.app.post_message(events.Key(key, character))
    await pilot.pause()


async def open_finder(pilot):
    await pilot.press("slash")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    palette = pilot.app.screen
    await until(pilot, lambda: searching_done(pilot.app, palette))
    return palette


class Gate:
    """Holds each search of the finder at its first pause for the app, until let through: a
    search that takes as long as the test likes, as on a map of millions of concepts."""

    def __init__(self) -> None:
        self.held: list[asyncio.Event] = []
        self.cancelled = 0
        self.open = False

    async def __call__(self) -> None:
        if self.open:
            await asyncio.sleep(0)
            return
        release = asyncio.Event()
        self.held.append(release)
        try:
            await release.wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise

    def let_through(self) -> None:
        self.open = True
        for release in self.held:
            release.set()


async def test_the_best_matches_come_first(big_env, timer):
    app = SrsApp(big_env, timer=timer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        palette = await open_finder(pilot)
        assert listed(palette)[:3] == [("Map", ""), ("Metadata", "Map"), ("Big Data", "Map")]  # the map's order

        # The label itself, then labels that start with it, have a word that does, hold it.
        await type_keys(pilot, "data")
        await until(pilot, lambda: searching_done(app, palette) and listed(palette)[:1] == [("Data", "Map")])
        assert listed(palette) == [
            ("Data", "Map"),
            ("Data Parallelism", "Map"),
            ("Big Data", "Map"),
            ("Metadata", "Map"),
        ]

        # Then the letters in order, and the words along the path.
        await pilot.press(*["backspace"] * 4, "d", "p")
        await until(
            pilot, lambda: searching_done(app, palette) and listed(palette)[:1] == [("Data Parallelism", "Map")]
        )
        assert listed(palette) == [("Data Parallelism", "Map"), ("Dynamic Pruning", "Map")]
        await pilot.press("backspace", "backspace", *keys("laws chin"))
        await until(
            pilot,
            lambda: searching_done(app, palette) and listed(palette)[:1] == [("Chinchilla", "Map › Scaling Laws")],
        )
        assert listed(palette) == [("Chinchilla", "Map › Scaling Laws")]

        # A query that most labels match lists the best SHOWN of them, in the map's order within a kind.
        await pilot.press(*["backspace"] * 9, *keys("concept 1"))
        await until(
            pilot,
            lambda: (
                searching_done(app, palette) and listed(palette)[:1] == [("Concept 1", "Map › Generated › Concept 0")]
            ),
        )
        found = [label for label, _ in listed(palette)]
        assert len(found) == concept_finder.SHOWN == 40
        assert found[:6] == ["Concept 1", "Concept 10", "Concept 11", "Concept 12", "Concept 100", "Concept 101"]

        # Choosing one puts the map's cursor on it.
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.screen.query_one(ConceptTree).current.label == "Concept 1"


async def test_keys_typed_quickly_show_only_the_last_querys_results(big_env, timer, monkeypatch):
    gate = Gate()
    app = SrsApp(big_env, timer=timer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        palette = await open_finder(pilot)
        monkeypatch.setattr(concept_finder, "_let_app_run", gate)

        # Each key comes while the search for the one before still runs: that search stops.
        for count, key in enumerate("meta", 1):
            await type_keys(pilot, key)
            await until(pilot, lambda: len(gate.held) == count and gate.cancelled == count - 1)  # noqa: B023 - awaited here
            assert (len(gate.held), gate.cancelled) == (count, count - 1)
            assert listed(palette)[:1] == [("Map", "")]  # nothing of a search that has not ended
        gate.let_through()
        await until(pilot, lambda: searching_done(app, palette) and listed(palette)[:1] == [("Metadata", "Map")])
        assert listed(palette) == [("Metadata", "Map")]

        # And keys sent all at once, the searches left to run: the last query's results only.
        await pilot.press(*["backspace"] * 4)
        await type_keys(pilot, "concept 2999")
        await until(
            pilot, lambda: searching_done(app, palette) and listed(palette)[:1] == [("Concept 2999", PATH_2999)]
        )
        assert listed(palette) == [("Concept 2999", PATH_2999)]


async def test_escape_closes_the_finder_while_a_search_runs(big_env, timer, monkeypatch):
    gate = Gate()
    app = SrsApp(big_env, timer=timer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_finder(pilot)
        monkeypatch.setattr(concept_finder, "_let_app_run", gate)
        await type_keys(pilot, "q")  # no concept has a q: the whole map is searched
        await until(pilot, lambda: len(gate.held) == 1)
        assert len(gate.held) == 1 and isinstance(app.screen, CommandPalette)  # the search is under way

        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await until(pilot, lambda: gate.cancelled == 1)
        assert gate.cancelled == 1  # and the search was stopped, not left to run on

        # The app goes on answering keys: the map, then the finder again.
        tree = app.screen.query_one(ConceptTree)
        assert tree.current.label == "Map"
        await pilot.press("down")
        assert tree.current.label == "Metadata"
        gate.let_through()
        palette = await open_finder(pilot)
        await type_keys(pilot, "chinchilla")
        await until(
            pilot,
            lambda: searching_done(app, palette) and listed(palette)[:1] == [("Chinchilla", "Map › Scaling Laws")],
        )
        assert listed(palette) == [("Chinchilla", "Map › Scaling Laws")]


def hits(palette) -> list[tuple[str, ...]]:
    """The finder's list: each concept's label, then its path and, for a match in its texts,
    where it matched, as the lines under the label show them."""
    rows = []
    for index in range(palette.query_one(CommandList).option_count):
        rows.append(tuple(palette.query_one(CommandList).get_option_at_index(index).prompt.plain.split("\n")))
    return rows


async def find(pilot, palette, query: str) -> list[tuple[str, ...]]:
    await type_keys(pilot, query)
    await until(pilot, lambda: searching_done(pilot.app, palette) and query in palette.query_one("Input").value)
    await pilot.pause()
    return hits(palette)


async def test_a_word_of_a_definition_finds_its_concept_and_opens_it(make_app, look):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        palette = await open_finder(pilot)
        assert await find(pilot, palette, "accelerators") == [
            (
                "GPU Usage",
                "Scaling Hypothesis › Computational Scaling",
                "definition: How well the accelerators are kept busy.",
            )
        ]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.screen.query_one(ConceptTree).current.label == "GPU Usage"
        assert "How well the accelerators are kept busy." in look.words(app, "#detail")


async def test_labels_come_before_texts_each_in_the_maps_order(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        palette = await open_finder(pilot)
        computational = "Scaling Hypothesis › Computational Scaling"
        assert await find(pilot, palette, "data") == [
            ("Data Parallelism", f"{computational} › Distributed Training"),
            ("Data Scaling", "Scaling Hypothesis"),
            ("Data Quality", "Scaling Hypothesis › Data Scaling"),
            ("Scaling Hypothesis", "definition: …trained on more data with more compute get predictably…"),
            ("Scaling Laws", "Scaling Hypothesis", "definition: …loss to compute, data and parameters."),
            (
                "Chinchilla",
                "Scaling Hypothesis › Scaling Laws",
                "definition: …models on more data” (Hoffmann et al., 2022).",
            ),
        ]
        await pilot.press(*["backspace"] * 4)
        # Every word, each in any of the texts; the excerpt from the field that holds the most.
        assert await find(pilot, palette, "gpus batch") == [
            (
                "Data Parallelism",
                f"{computational} › Distributed Training",
                "example: Eight GPUs each take 32 of a batch of 256 examples.",
            ),
        ]
