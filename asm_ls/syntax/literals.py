"""Decoding of Rust string literals, keeping for every decoded character the byte range of the
source text that produced it (the exact source map of a template piece)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DecodedString:
    """A decoded literal: ``value[i]`` came from source bytes ``starts[i]:ends[i]``."""

    value: str
    starts: list[int]
    ends: list[int]
    start: int
    end: int
    raw: bool = False
    content_start: int = 0
    content_end: int = 0
    errors: list[str] = field(default_factory=list)

    def offset(self, index: int) -> int:
        """Byte offset where decoded character ``index`` starts (the closing quote at the end)."""
        return self.starts[index] if index < len(self.value) else self.content_end

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Source byte range covering decoded characters ``first`` up to ``last`` (exclusive)."""
        if not self.value:
            return self.content_start, self.content_start
        if first >= len(self.value):
            return self.content_end, self.content_end
        last = max(first + 1, min(last, len(self.value)))
        return self.starts[first], self.ends[last - 1]


_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "0": "\0", "'": "'", '"': '"'}


def decode(text: str, start: int) -> DecodedString | None:
    """Decode a string literal's source ``text`` found at byte offset ``start``.

    Returns None when ``text`` is not a (possibly raw) string literal; undecodable escapes are
    listed in ``errors`` and decoding continues past them, as rustc's lexer does.
    """
    prefix_len = len(text) - len(text.lstrip("bcr"))
    prefix = text[:prefix_len]
    body = text[prefix_len:]
    if "r" in prefix:
        hashes = len(body) - len(body.lstrip("#"))
        opening = hashes + 1
        closing = len(body) - hashes - 1
        if not body[hashes:].startswith('"') or closing < opening or body[closing:] != '"' + "#" * hashes:
            return None
        return _decode_raw(text, start, prefix_len + opening, prefix_len + closing)
    if not body.startswith('"') or len(body) < 2 or not body.endswith('"'):
        return None
    return _decode_escaped(text, start, prefix_len + 1, len(text) - 1)


def _byte_offsets(text: str, base: int) -> list[int]:
    if text.isascii():
        return list(range(base, base + len(text) + 1))
    offsets = []
    position = base
    for char in text:
        offsets.append(position)
        position += len(char.encode("utf-8", "surrogatepass"))
    offsets.append(position)
    return offsets


def _decode_raw(text: str, base: int, first: int, last: int) -> DecodedString:
    offsets = _byte_offsets(text, base)
    out = DecodedString("", [], [], base, offsets[-1], raw=True, content_start=offsets[first],
                        content_end=offsets[last])
    chars: list[str] = []
    index = first
    while index < last:
        char = text[index]
        if char == "\r" and index + 1 < last and text[index + 1] == "\n":
            chars.append("\n")
            out.starts.append(offsets[index])
            out.ends.append(offsets[index + 2])
            index += 2
            continue
        chars.append(char)
        out.starts.append(offsets[index])
        out.ends.append(offsets[index + 1])
        index += 1
    out.value = "".join(chars)
    return out


def _decode_escaped(text: str, base: int, first: int, last: int) -> DecodedString:
    offsets = _byte_offsets(text, base)
    content = text[first:last]
    if "\\" not in content and "\r" not in content:
        # Nothing to decode (most templates): each character stands for itself.
        return DecodedString(content, offsets[first:last], offsets[first + 1:last + 1], base, offsets[-1],
                             content_start=offsets[first], content_end=offsets[last])
    out = DecodedString("", [], [], base, offsets[-1], content_start=offsets[first], content_end=offsets[last])
    chars: list[str] = []

    def emit(char: str, begin: int, end: int) -> None:
        chars.append(char)
        out.starts.append(offsets[begin])
        out.ends.append(offsets[end])

    index = first
    while index < last:
        char = text[index]
        if char == "\r" and index + 1 < last and text[index + 1] == "\n":
            emit("\n", index, index + 2)
            index += 2
            continue
        if char != "\\":
            emit(char, index, index + 1)
            index += 1
            continue
        escape = text[index + 1] if index + 1 < last else ""
        if escape in _SIMPLE_ESCAPES:
            emit(_SIMPLE_ESCAPES[escape], index, index + 2)
            index += 2
        elif escape in ("\n", "\r"):
            index += 1
            while index < last and text[index] in " \t\n\r":
                index += 1
        elif escape == "x" and index + 3 < last + 1 and _is_hex(text[index + 2:index + 4]):
            value = int(text[index + 2:index + 4], 16)
            if value > 0x7F:
                out.errors.append(f"out of range hex escape at {offsets[index]}")
            emit(chr(value), index, index + 4)
            index += 4
        elif escape == "u" and index + 2 < last and text[index + 2] == "{":
            close = text.find("}", index + 3, last)
            digits = text[index + 3:close].replace("_", "") if close > 0 else ""
            if close < 0 or not _is_hex(digits) or len(digits) > 6 or int(digits, 16) > 0x10FFFF \
                    or 0xD800 <= int(digits, 16) <= 0xDFFF:
                out.errors.append(f"invalid unicode escape at {offsets[index]}")
                index += 2
                continue
            emit(chr(int(digits, 16)), index, close + 1)
            index = close + 1
        else:
            out.errors.append(f"unknown character escape at {offsets[index]}")
            index += 2 if escape else 1
    out.value = "".join(chars)
    return out


def _is_hex(text: str) -> bool:
    return bool(text) and all(char in "0123456789abcdefABCDEF" for char in text)
