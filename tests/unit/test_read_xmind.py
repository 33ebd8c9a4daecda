"""XMind workbooks: XMind Zen/2020+ (`content.json`) and XMind 8 (`content.xml`), the first sheet,
relationships as links, and zip archives that are not what they claim refused."""

import io
import random
import zipfile

import pytest

from srs.errors import DeckFileError
from srs.readers import detect_format, read_deck

REFUSED = "XML with a DTD or entities is refused (they can expand without limit)"


ZEN = {
    "root": "7d1e0c2b3a4f5e6d7c8b9a0f1e2d3c4b",
    "compute": "1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6",
    "gpu": "6b5a4c3d2e1f40a9b8c7d6e5f4a3b2c1",
    "training": "9e8d7c6b5a4f43e2d1c0b9a8f7e6d5c4",
    "data": "4f3e2d1c0b9a48f7e6d5c4b3a2f1e0d9",
    "quality": "0f1e2d3c4b5a46f7e8d9c0b1a2f3e4d5",
    "open": "8c7b6a5f4e3d42c1b0a9f8e7d6c5b4a3",
}
XMIND8 = {
    "root": "6ue1bd9gce1l4nrtkmnvpfonhd",
    "compute": "0n0u5scl4a2l3gdk5vhl4ccqrm",
    "gpu": "2rb6jcu1a6gk8lpb7p6sb2u1fu",
    "training": "4gpdn0rqu6c8fm6d0p6d07ffmk",
    "data": "5c6q5nqp2o4b0c4oaa1b8cq4a7",
    "quality": "7mkshq7l0u2c5k3f0smb7t6a4n",
    "open": "1kfgn4ip0p5c2mbnlm93f8ub2e",
}


def keyed_rows(graph):
    """Each node as (key, label, definition, parents' keys), in the file's order."""
    return [(k, c.label, c.definition, graph.parents[k]) for k, c in graph.concepts.items()]


def test_xmind_zen_reads_its_first_sheets_topics_notes_and_relationships(xmind):
    graph = read_deck(xmind("xmind_zen"))
    k = ZEN
    assert keyed_rows(graph) == [
        (
            k["root"],
            "Scaling Hypothesis",
            "Bigger models, trained on more data with more compute, keep getting better.",
            [],
        ),
        (k["compute"], "Compute", "The arithmetic a training run spends.", [k["root"]]),
        (k["gpu"], "GPU Usage", "", [k["compute"]]),
        (k["training"], "Distributed Training", "Spreading one run\nover many devices.", [k["compute"]]),
        (k["data"], "Data", "", [k["root"]]),
        (k["quality"], "Data Quality", "", [k["data"]]),
        (k["open"], "Open Questions", "Where does scaling stop paying?", [k["root"]]),
    ]
    # The second sheet is not read, nor the content.xml that tells XMind 8 it cannot open the file.
    assert graph.links == [(k["gpu"], k["data"], "limits"), (k["open"], k["compute"], "related")]


def test_xmind_8_reads_the_same_map_from_content_xml(xmind):
    graph = read_deck(xmind("xmind8"))
    k = XMIND8
    assert keyed_rows(graph) == [
        (k["root"], "Scaling Hypothesis", "Bigger models keep getting better.", []),
        (k["compute"], "Compute", "The arithmetic a training run spends.", [k["root"]]),
        (k["gpu"], "GPU Usage", "", [k["compute"]]),
        (k["training"], "Distributed Training", "Spreading one run over many devices.", [k["compute"]]),
        (k["data"], "Data", "", [k["root"]]),
        (k["quality"], "Data Quality", "", [k["data"]]),
        (k["open"], "Open Questions", "", [k["root"]]),
    ]
    assert graph.links == [(k["gpu"], k["data"], "limits"), (k["open"], k["compute"], "related")]


def test_a_zip_without_an_extension_is_read_as_xmind(xmind):
    path = xmind("xmind8", name="workbook")
    assert detect_format(path, path.read_bytes()) == "xmind"


def zipped(tmp_path, entries, name="deck.xmind", method=zipfile.ZIP_DEFLATED):
    path = tmp_path / name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for entry, content in entries.items():
            archive.writestr(entry, content)
    path.write_bytes(buffer.getvalue())
    return path


def declaring(path, size):
    """The archive at `path` with every entry's directory record claiming `size` bytes unpacked."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 24 : at + 28] = size.to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def refusal(path):
    with pytest.raises(DeckFileError) as caught:
        read_deck(path)
    return str(caught.value)


def test_a_zip_bomb_is_refused_by_its_ratio_before_it_inflates(tmp_path):
    path = zipped(tmp_path, {"content.json": b"\0" * (8 << 20)})
    (entry,) = zipfile.ZipFile(path).infolist()
    ratio = entry.file_size // entry.compress_size
    assert ratio > 200
    assert refusal(path) == (
        f"{path}:content.json: the entry would inflate {ratio:,} times (a zip bomb?); the limit is 200"
    )


def test_an_archive_that_would_inflate_past_the_limit_in_all_is_refused(tmp_path):
    noise = random.Random(0).randbytes(600_000)
    assert b"PK\x01\x02" not in noise
    entries = {f"resources/image{i}.png": noise for i in range(3)}
    path = declaring(zipped(tmp_path, entries, method=zipfile.ZIP_STORED), 100 << 20)
    assert refusal(path) == (
        f"{path}: the archive would inflate to 314,572,800 bytes (a zip bomb?); the limit is 268,435,456"
    )


def test_an_entry_that_claims_an_absurd_size_is_refused(tmp_path):
    path = declaring(zipped(tmp_path, {"content.json": "[]"}), 0xFFFFFFFE)
    assert (
        refusal(path)
        == f"{path}:content.json: the entry would inflate to 4,294,967,294 bytes; the limit is 268,435,456"
    )


def test_xmind_8_content_with_a_dtd_is_refused(tmp_path):
    laughs = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY lol "lol">]><xmap-content>&lol;</xmap-content>'
    path = zipped(tmp_path, {"content.xml": laughs})
    assert refusal(path) == f"{path}:content.xml: {REFUSED}"


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        (
            '[{"rootTopic": {"id": "r", "title": "R"}',
            "content.json line 1, column 41",
            "not valid JSON: Expecting ',' delimiter",
        ),
        ("{}", "content.json", "content.json is not a list of sheets"),
        (
            '[{"rootTopic": {"id": "r", "title": "R", "children": {"attached": [{"title": "A"}]}}}]',
            "content.json [0].rootTopic.children.attached[0]",
            'a topic is not an object with an "id"',
        ),
        (
            '[{"rootTopic": {"id": "r", "title": "R"}, "relationships": [{"end1Id": "r", "end2Id": "gone"}]}]',
            "content.json [0].relationships[0]",
            "a relationship ends at 'gone', which is no topic of the sheet",
        ),
        ('[{"rootTopic": {"id": "r", "title": ""}}]', "node 'r'", "the node has no label"),
    ],
)
def test_zen_content_that_cannot_be_read_is_refused_at_its_json_path(tmp_path, content, where, message):
    path = zipped(tmp_path, {"content.json": content})
    assert refusal(path) == f"{path}:{where}: {message}"


def test_what_is_not_an_xmind_archive_is_refused(tmp_path):
    text = tmp_path / "text.xmind"
    text.write_text("just some words\n")
    assert refusal(text) == f"{text}: not an XMind file: not a zip archive, or a broken one"
    other = zipped(tmp_path, {"notes.txt": "hello"})
    assert refusal(other) == f"{other}: not an XMind file: the archive holds neither content.json nor content.xml"
    binary = tmp_path / "image.xmind"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert refusal(binary) == f"{binary}: a binary file, not a concept graph"
    # A zip under another format's name is still a binary file to that format.
    disguised = zipped(tmp_path, {"content.json": "[]"}, name="deck.gexf")
    assert refusal(disguised) == f"{disguised}: a binary file, not a concept graph"
