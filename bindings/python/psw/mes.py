"""SECS-II items (``psw::mes``): bytes, the tagged JSON form and SML.

An item is the tagged JSON form as Python objects: ``{"U4": [1, 2]}``, ``{"A": "text"}``,
``{"L": [...]}`` (see docs/mes.md). Python ints of any size go in; 64-bit values beyond 2**53 - 1
come back as decimal strings, exactly as the C++ and CLI forms write them.

- :func:`encode` item → bytes          (``psw mes encode``)
- :func:`decode` bytes → item          (``psw mes decode``)
- :func:`to_sml` item → SML text       (``psw mes decode --to sml``)
- :func:`parse_sml` SML text → item    (``psw mes encode --from sml``)
- :func:`message_to_sml` / :func:`message_from_sml`: whole messages in the named JSON view of
  the message dictionary (``{"message": "S6F11", "body": {"CEID": 1001, ...}}``), the form
  ``psw mes host`` scripts use.

Bad input raises ``ValueError`` with the C++ message (a byte offset, a JSON path, or
``source:line:column``).
"""

import json as _json

from ._psw import mes as _mes

__all__ = ["decode", "encode", "message_from_sml", "message_to_sml", "parse_sml", "to_sml"]


def _text(item):
    return item if isinstance(item, str) else _json.dumps(item)


def encode(item):
    """SECS-II bytes of ``item`` (a tagged-JSON dict, or its JSON text)."""
    return _mes.encode_json(_text(item))


def decode(data, max_bytes=16 << 20, max_depth=64):
    """The item (tagged-JSON dict) that fills ``data`` (bytes, bytearray or a hex string)."""
    if isinstance(data, str):
        data = bytes.fromhex(data)
    return _json.loads(_mes.decode_json(bytes(data), max_bytes, max_depth))


def to_sml(item, indent=2):
    """SML text of ``item``; one line when ``indent`` is negative."""
    return _mes.json_to_sml(_text(item), indent)


def parse_sml(text, source="<sml>"):
    """The item (tagged-JSON dict) written in SML ``text``."""
    return _json.loads(_mes.sml_to_json(text, source))


def message_to_sml(message, indent=2):
    """SML of a message in the named JSON view (dict or JSON text)."""
    return _mes.named_json_to_sml(_text(message), indent)


def message_from_sml(text, source="<sml>"):
    """The named JSON view (dict) of a message written in SML."""
    return _json.loads(_mes.sml_to_named_json(text, source))
