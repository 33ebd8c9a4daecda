"""The registry of deck formats: every file ending it knows reads, and the rest are named."""

import shutil

import pytest

from srs.errors import DeckFileError
from srs.readers import EXTENSIONS, FORMATS, read_deck

MAP = ["Scaling Hypothesis", "Compute", "GPU Usage", "Distributed Training", "Data", "Data Quality"]
# A sample in tests/data for each format, and the labels read from it in the file's order.
SAMPLES = {
    "gexf": ("small.gexf", ["Scaling", "Compute", "Data Parallelism", "Model Parallelism", "Data"]),
    "graphml": ("small.graphml", ["Scaling", "Compute", "Data"]),
    "json": ("small.json", ["Scaling", "Compute", "Data"]),
    "csv": ("table.csv", ["Scaling", "Compute", "Data", "GPU Usage"]),
    "outline": ("outline.md", ["Scaling", "Compute", "GPU Usage", "Distributed Training", "Data", "Data Quality"]),
    "mermaid": ("mindmap.mmd", [*MAP[:4], "Data", "Data Quality", "Scaling Laws", "Chinchilla"]),
    "opml": ("outliner.opml", MAP),
    "canvas": (
        "obsidian.canvas",
        [*MAP, "Data Deduplication", "Papers/Scaling Laws.pdf", "https://arxiv.org/abs/2203.15556"],
    ),
    "freeplane": ("freeplane.mm", MAP),
    "xmind": ("xmind_zen/", [*MAP, "Open Questions"]),  # a folder: zipped by the `xmind` fixture
}


def test_every_format_has_a_sample():
    assert set(SAMPLES) == set(FORMATS)


@pytest.mark.parametrize("extension", sorted(EXTENSIONS))
def test_every_registered_extension_reads_its_sample(extension, data, tmp_path, xmind):
    sample, labels = SAMPLES[EXTENSIONS[extension]]
    deck = tmp_path / f"deck{extension}"
    if sample.endswith("/"):
        xmind(sample.rstrip("/"), name=deck.name)
    else:
        shutil.copy(data / sample, deck)
    graph = read_deck(deck)
    assert [c.label for c in graph.concepts.values()] == labels


def test_an_unknown_extension_names_the_endings_of_the_known_formats(tmp_path):
    deck = tmp_path / "deck.dat"
    deck.write_text("just some words\n")
    with pytest.raises(DeckFileError) as caught:
        read_deck(deck)
    assert str(caught.value) == (
        f"{deck}: unknown format: name it .gexf, .graphml, .json, .csv, .md, .mmd, .opml, .canvas, .mm or .xmind"
    )


def test_an_unknown_format_name_lists_the_known_ones(tmp_path, data):
    with pytest.raises(DeckFileError) as caught:
        read_deck(data / "small.gexf", fmt="yaml")
    assert str(caught.value) == (
        f"{data / 'small.gexf'}: unknown format 'yaml' "
        "(known: gexf, graphml, json, csv, outline, mermaid, opml, canvas, freeplane, xmind)"
    )
