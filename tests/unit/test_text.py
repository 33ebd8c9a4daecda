"""Deck text for XML: what XML 1.0 cannot hold becomes the stand-in `clean` shows."""

from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from srs.core.text import clean, xml_text


def xml_can_hold(ch: str) -> bool:
    code = ord(ch)
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


def test_controls_become_the_stand_ins_clean_shows():
    assert xml_text("a\x1b[31mb\x07c\x00d\x1f") == "a␛[31mb␇c␀d␟"
    for code in range(0x20):
        if chr(code) not in "\t\n\r":
            assert xml_text(chr(code)) == clean(chr(code))


def test_tabs_line_breaks_and_every_other_character_xml_holds_are_kept():
    assert xml_text("one\ttwo\nthree\r\nfour \x7f\x85 é 𝄞") == "one\ttwo\nthree\r\nfour \x7f\x85 é 𝄞"


def test_every_character_comes_out_as_one_xml_can_hold():
    for code in [*range(0x10000), 0x10000, 0x10FFFF]:
        ch = chr(code)
        out = xml_text(ch)
        assert out == ch if xml_can_hold(ch) else (len(out) == 1 and xml_can_hold(out)), hex(code)
    assert xml_text("\ud800\ufffe\uffff") == "\ufffd\ufffd\ufffd"


def test_the_result_parses_as_xml():
    text = "".join(chr(code) for code in range(0x20)) + "\ufffe\uffff"
    element = ElementTree.fromstring(f"<node label={quoteattr(xml_text(text))}/>")
    assert element.get("label") == xml_text(text)
