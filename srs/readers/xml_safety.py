"""Parsing XML decks safely, and naming where a broken one breaks.

A DTD or an entity declaration is refused before anything expands, so a "billion laughs" file
fails at once. GEXF is read by expat itself, in one streaming pass (`expat_parser`, `parse`):
much faster than building a tree, on files of 100k nodes. GraphML is read into an element tree
by defusedxml (`parse_tree`). Both name a bad byte or character of a UTF-8 file by its line, as
the other text formats do, and a parse error by its line and column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NoReturn
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

from srs.errors import DeckFileError
from srs.readers.files import text

REFUSED = "XML with a DTD or entities is refused (they can expand without limit)"

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9_.-]+)""")


def _check_text(path: Path, data: bytes) -> None:
    declared = _DECLARED.match(data[:200])
    if declared is None or declared[1].lower().replace(b"-", b"") in (b"utf8", b"utf8sig"):
        text(path, data)  # UTF-8, said or implied: name a bad byte or character


def _message(expat_message: str) -> str:
    if expat_message in ("no element found", "unclosed token"):
        return "the XML ends too early (a truncated file?)"
    return expat_message


class _Refused(Exception):
    """A DTD or entity declaration in an XML deck: refused before anything expands."""


def _refuse(*_args: object) -> NoReturn:
    raise _Refused


def expat_parser():
    """An expat parser that refuses DTDs and entities, with `namespace}name` tags and text in one piece."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def parse(path: Path, parser, data: bytes) -> None:
    """Feed the whole of `data` to an `expat_parser` whose handlers collect what they need.

    An exception a handler raises goes through to the caller as it is.
    """
    _check_text(path, data)
    try:
        parser.Parse(data, True)
    except _Refused:
        raise DeckFileError(path, REFUSED) from None
    except expat.ExpatError as exc:
        raise DeckFileError(
            path, _message(expat.ErrorString(exc.code)), f"line {exc.lineno}, column {exc.offset + 1}"
        ) from None


def parse_tree(path: Path, data: bytes) -> Element:
    """The root element of an XML file, parsed with DTDs and entities refused."""
    # Imported here: only GraphML needs it.
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    _check_text(path, data)
    try:
        parser.feed(data)
        return parser.close()
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise DeckFileError(path, REFUSED) from None
    except ParseError as exc:
        line, column = exc.position
        raise DeckFileError(path, _message(str(exc).split(":")[0]), f"line {line}, column {column + 1}") from None
