"""A small reader for the ELF objects rustc writes (ELF32/ELF64, either byte order): sections by name, their bytes,
and the symbol table.  Enough to find each block's ``.text.asmls.<id>`` section and the line labels in it."""

from __future__ import annotations

import struct
from dataclasses import dataclass, replace

SHT_SYMTAB = 2
SHT_RELA = 4
SHT_NOBITS = 8
SHT_REL = 9


class ObjectError(Exception):
    """The bytes are not an ELF object this reader understands."""


@dataclass
class Section:
    index: int
    name: str
    type: int
    offset: int
    size: int
    link: int
    entsize: int
    info: int = 0       # for relocation sections: the index of the section they apply to


@dataclass
class Symbol:
    name: str
    value: int
    size: int
    section: int        # index of the section it is defined in (0: undefined)
    binding: int


@dataclass
class ElfObject:
    data: bytes
    bits: int
    little: bool
    machine: int
    sections: list[Section]
    symbols: list[Symbol]

    def section(self, name: str) -> Section | None:
        for section in self.sections:
            if section.name == name:
                return section
        return None

    def section_bytes(self, section: Section) -> bytes:
        if section.type == SHT_NOBITS:
            return b""
        return self.data[section.offset:section.offset + section.size]

    def symbols_in(self, section: Section) -> list[Symbol]:
        return [symbol for symbol in self.symbols if symbol.section == section.index]

    def relocated_offsets(self, section: Section) -> set[int]:
        """The offsets in ``section`` that relocations patch (a branch there goes where the linker says)."""
        end = "<" if self.little else ">"
        out: set[int] = set()
        for table in self.sections:
            if table.type not in (SHT_REL, SHT_RELA) or table.info != section.index:
                continue
            word = "Q" if self.bits == 64 else "I"
            size = table.entsize or struct.calcsize(end + word * (3 if table.type == SHT_RELA else 2))
            for base in range(table.offset, table.offset + table.size - size + 1, size):
                try:
                    out.add(struct.unpack_from(end + word, self.data, base)[0])
                except struct.error:
                    break
        return out


def read_elf(data: bytes) -> ElfObject:
    if len(data) < 52 or data[:4] != b"\x7fELF":
        raise ObjectError("not an ELF file")
    bits = {1: 32, 2: 64}.get(data[4])
    little = {1: True, 2: False}.get(data[5])
    if bits is None or little is None:
        raise ObjectError("unknown ELF class or byte order")
    end = "<" if little else ">"
    try:
        if bits == 64:
            (machine,) = struct.unpack_from(end + "H", data, 18)
            shoff, = struct.unpack_from(end + "Q", data, 40)
            shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", data, 58)
        else:
            (machine,) = struct.unpack_from(end + "H", data, 18)
            shoff, = struct.unpack_from(end + "I", data, 32)
            shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", data, 46)
        raw = []
        for index in range(shnum):
            base = shoff + index * shentsize
            if bits == 64:
                name, kind, _, _, offset, size, link, info, _, entsize = \
                    struct.unpack_from(end + "IIQQQQIIQQ", data, base)
            else:
                name, kind, _, _, offset, size, link, info, _, entsize = \
                    struct.unpack_from(end + "IIIIIIIIII", data, base)
            raw.append((name, kind, offset, size, link, entsize, info))
        if not 0 <= shstrndx < len(raw):
            raise ObjectError("no section name table")
        names = raw[shstrndx]
        strings = data[names[2]:names[2] + names[3]]
        sections = [Section(index, _string(strings, entry[0]), entry[1], entry[2], entry[3], entry[4], entry[5], entry[6])
                    for index, entry in enumerate(raw)]
        symbols: list[Symbol] = []
        for section in sections:
            if section.type != SHT_SYMTAB or not 0 <= section.link < len(sections):
                continue
            table = sections[section.link]
            names_data = data[table.offset:table.offset + table.size]
            size = section.entsize or (24 if bits == 64 else 16)
            for base in range(section.offset, section.offset + section.size - size + 1, size):
                if bits == 64:
                    name, info, _, shndx, value, length = struct.unpack_from(end + "IBBHQQ", data, base)
                else:
                    name, value, length, info, _, shndx = struct.unpack_from(end + "IIIBBH", data, base)
                symbols.append(Symbol(_string(names_data, name), value, length, shndx, info >> 4))
    except struct.error as error:
        raise ObjectError(f"truncated ELF file: {error}") from None
    return ElfObject(data, bits, little, machine, sections, symbols)


def _string(table: bytes, offset: int) -> str:
    if not 0 <= offset < len(table):
        return ""
    stop = table.find(b"\0", offset)
    return table[offset:stop if stop >= 0 else len(table)].decode("utf-8", "replace")


def block_section_name(block_id: str) -> str:
    return f".text.asmls.{block_id}"


@dataclass
class BlockCode:
    """One block's machine code: its bytes and, for each template line with a label, the offset where it starts."""

    code: bytes
    line_offsets: dict[int, int]        # template line index -> offset in ``code``
    little: bool = True
    bits: int = 64
    relocated: frozenset[int] = frozenset()     # offsets patched by relocations (branches to symbols)
    # The ELF mapping symbols (offset, kind): `a` ARM code, `t` Thumb code, `x` code, `d` data (ARM and AArch64 ELF
    # ABIs, RISC-V psABI).
    mapping: tuple[tuple[int, str], ...] = ()

    def without_trailing_data(self) -> "BlockCode":
        """The code without the data that follows its last instruction (the literal pool of `ldr r0, =sym`, which the
        assembler places at the end of the block's section, after its end label): the block ends where the pool
        starts.  Data among the instructions stays."""
        marks = sorted(self.mapping)
        start = next((offset for index, (offset, kind) in enumerate(marks)
                      if kind == "d" and all(later == "d" for _, later in marks[index:])), None)
        if start is None or start >= len(self.code):
            return self
        return replace(self, code=self.code[:start], mapping=tuple(mark for mark in marks if mark[0] < start))

    def line_at(self, offset: int) -> int | None:
        """The template line whose bytes contain ``offset``: the last line whose label is at or before it (lines without
        code share their label's offset with the next line)."""
        found = [line for line, start in self.line_offsets.items() if start <= offset]
        return max(found) if found else None


def block_code(obj: ElfObject, block_id: str) -> BlockCode | None:
    """The bytes of one block's section and its line labels (``generate.line_label``); None without the section."""
    section = obj.section(block_section_name(block_id))
    if section is None:
        return None
    prefix = f"asmls_line_{block_id}_"
    offsets: dict[int, int] = {}
    mapping: list[tuple[int, str]] = []
    for symbol in obj.symbols_in(section):
        if symbol.name.startswith(prefix) and symbol.name[len(prefix):].isdigit():
            offsets[int(symbol.name[len(prefix):])] = symbol.value
        elif symbol.name[:1] == "$" and symbol.name[1:2] in ("a", "t", "x", "d") \
                and symbol.name[2:3] in ("", "."):
            mapping.append((symbol.value, symbol.name[1]))
    return BlockCode(obj.section_bytes(section), offsets, obj.little, obj.bits,
                     frozenset(obj.relocated_offsets(section)), tuple(sorted(mapping)))
