"""Plain text in bytes → str: the encodings Vietnamese text files come in."""

from __future__ import annotations

from pipeline.model.errors import UnsupportedTypeError


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258 (Vietnamese Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1258"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnsupportedTypeError(f"{name}: text is not UTF-8, UTF-16 or Windows-1258 encoded")
