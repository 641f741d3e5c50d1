"""Write ``asm_ls/data/instructions.json``: what each instruction is called and does, for hover and completion.

Every fact comes from a maintained, machine-readable source whose licence allows shipping what is taken
from it (the file records each source, its revision and licence):

- x86: the ``opcodes`` package (PyPI, BSD-2-Clause) for the full name; Intel XED's datafiles (Apache-2.0)
  for the flags written and read, the implicit registers, the ISA extension and the privilege (CPL 0);
  B2R2's opcode list (MIT) for the names ``opcodes`` lacks.
- aarch64, arm: B2R2's opcode lists (MIT): the name of each instruction (Arm's own machine-readable
  specification is under a licence that forbids shipping its descriptions; its BSD package has none).
- riscv: the RISC-V Unified Database (BSD-3-Clause-Clear / BSD-2-Clause): name, first sentence of the
  description, extension, whether U-mode may execute it, and the CSRs; the RISC-V assembly programmer's
  manual (CC-BY-4.0) for the pseudo-instructions people write (``csrr``, ``li``, ``mv``...); the section
  anchors of riscv-isadoc's page for links to each instruction's own section.

Usage: put the sources in one folder (``--sources DIR``) as below, then
``python tools/gen_instruction_docs.py --sources DIR``:

    opcodes/      the unpacked sdist of ``opcodes`` (``pip download --no-deps opcodes``): opcodes/x86_64.xml, license.rst
    xed/          a checkout of github.com/intelxed/xed (datafiles/, LICENSE)
    b2r2/         a checkout of github.com/B2R2-org/B2R2 (src/FrontEnd/*/Opcode.fs, LICENSE.md)
    udb/          a checkout of github.com/riscv-software-src/riscv-unified-db (spec/std/isa/inst, spec/std/isa/csr)
    asm-manual/   src/asm-manual.adoc of github.com/riscv-non-isa/riscv-asm-manual (as asm-manual.adoc)
    isadoc/       docs/index.html of github.com/msyksphinz-self/riscv-isadoc (as index.html)

Update ``SOURCES`` (the revisions) when regenerating from newer checkouts.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import xml.etree.ElementTree as ElementTree

import yaml

OUTPUT = os.path.join(os.path.dirname(__file__), "..", "asm_ls", "data", "instructions.json")

SOURCES = [
    {"name": "opcodes", "url": "https://pypi.org/project/opcodes/", "revision": "0.3.14",
     "licence": "BSD-2-Clause", "used_for": "x86 instruction names"},
    {"name": "Intel XED", "url": "https://github.com/intelxed/xed",
     "revision": "519c843c86547e2003f5a404a53358a7dcfb82f3", "licence": "Apache-2.0",
     "used_for": "x86 flags, implicit registers, ISA extensions, privilege"},
    {"name": "B2R2", "url": "https://github.com/B2R2-org/B2R2",
     "revision": "d0a35111b979a20ff1a3000fddbc37a42059bfac", "licence": "MIT",
     "used_for": "aarch64 and arm instruction names; x86 names opcodes lacks"},
    {"name": "RISC-V Unified Database", "url": "https://github.com/riscv-software-src/riscv-unified-db",
     "revision": "d1ca439e62765097ce3ac2431ded3bc6c3196a1f", "licence": "BSD-3-Clause-Clear, BSD-2-Clause",
     "used_for": "riscv instruction names, summaries, extensions, privilege; CSRs"},
    {"name": "RISC-V Assembly Programmer's Manual", "url": "https://github.com/riscv-non-isa/riscv-asm-manual",
     "revision": "3dec58ec6b6af97ad0d8cd85e88f745f409df8a7", "licence": "CC-BY-4.0",
     "used_for": "riscv pseudo-instructions"},
    {"name": "riscv-isadoc", "url": "https://github.com/msyksphinz-self/riscv-isadoc",
     "revision": "916e8a35c48753d5655f3e20cbcaf4598f01fb6c", "licence": "CC-BY-4.0",
     "used_for": "riscv reference links (section anchors only)"},
]

RISCV_REFERENCE = "https://msyksphinz-self.github.io/riscv-isadoc/#{anchor}"

# XED's flag actions: written (mod, 0, 1, pop), read (tst), left undefined (u)
_WRITTEN = {"mod", "0", "1", "pop"}
# XED operand registers that are not architectural register names
_PSEUDO_REGISTERS = re.compile(r"^(STACKPUSH|STACKPOP|ERROR|INVALID|X87.*|MXCSR_RC|MSRS|TSCAUX|TSC|UIF|SSP|IA32_.*|"
                               r"XCR0|CR\d|BND.*|TMP.*|ARTPTR|UIRR|.*_RC)$")


def _sentence(text: str, limit: int = 240) -> str:
    """The first sentence of a description (AsciiDoc markup and template lines dropped)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(("<%", "[", "//", "|", "="))]
    paragraph = " ".join(" ".join(lines).split())
    match = re.match(r"(.+?[.!?])(\s|$)", paragraph)
    sentence = match.group(1) if match else paragraph
    sentence = re.sub(r"<<[^,>]*,\s*([^>]*)>>", r"\1", sentence)
    return sentence if len(sentence) <= limit else sentence[:limit - 1].rsplit(" ", 1)[0] + "…"


# -- B2R2 -----------------------------------------------------------------------------------

def b2r2_names(root: str, arch_folder: str) -> dict[str, str]:
    """mnemonic -> the doc comment of its ``Opcode`` case."""
    text = open(os.path.join(root, "src", "FrontEnd", arch_folder, "Opcode.fs"), encoding="utf-8").read()
    names: dict[str, str] = {}
    for comment, name in re.findall(r"///\s*(.+?)\s*\n\s*\|\s*([A-Z0-9_]+)\s*=", text):
        mnemonic = name.lower().replace("_", ".")
        names[mnemonic] = _tidy_name(comment)
    return names


def _tidy_name(comment: str) -> str:
    comment = comment.strip().rstrip(".")
    alias = re.search(r":\s*an alias of\s+(.+)$", comment)
    if alias:
        comment = comment[:alias.start()] + f" (an alias of `{alias.group(1).split(' (')[0].lower()}`)"
    return comment


_SVE_SME = re.compile(r"\bZA\b|multi-vector|predicate|unpredicated|[Ss]treaming")


def arm_names(root: str) -> tuple[dict, dict]:
    """aarch64 and arm names; an A64 name that describes only the SVE/SME form of a mnemonic that A32 also has
    (``add``: "Add multi-vector to ZA array...") gives way to the A32 name, which describes the general form."""
    a64 = b2r2_names(root, "ARM64")
    a32 = b2r2_names(root, "ARM32")
    for mnemonic, name in a64.items():
        if _SVE_SME.search(name) and mnemonic in a32 and not _SVE_SME.search(a32[mnemonic]):
            a64[mnemonic] = a32[mnemonic]
    return ({m: {"name": n} for m, n in sorted(a64.items())}, {m: {"name": n} for m, n in sorted(a32.items())})


# -- x86 ------------------------------------------------------------------------------------

def x86(sources: str) -> dict:
    out: dict[str, dict] = {}
    tree = ElementTree.parse(os.path.join(sources, "opcodes", "opcodes", "x86_64.xml"))
    for instruction in tree.getroot().iter("Instruction"):
        summary = instruction.get("summary")
        forms = instruction.findall("InstructionForm")
        name = instruction.get("name").lower()
        if summary:
            out.setdefault(name, {"name": summary})
        for spelling in sorted({form.get("gas-name").lower() for form in forms if form.get("gas-name")} - {name}):
            if summary:     # an AT&T spelling with a size suffix (`movq`): completion offers it only in AT&T blocks
                out.setdefault(spelling, {"name": summary, "att_of": name})
    for mnemonic, name in b2r2_names(os.path.join(sources, "b2r2"), "Intel").items():
        out.setdefault(mnemonic, {"name": name})
    for iclass, facts in _xed(os.path.join(sources, "xed", "datafiles")).items():
        for mnemonic in _xed_spellings(iclass):
            if mnemonic in out:
                for key, value in facts.items():
                    out[mnemonic].setdefault(key, value)
    return dict(sorted(out.items()))


def _xed_spellings(iclass: str) -> list[str]:
    name = iclass.lower()
    if name.startswith(("rep_", "repe_", "repne_")):
        return []
    return [re.sub(r"_(near|far|xmm)$", "", name)]


def _xed(datafiles: str) -> dict[str, dict]:
    """iclass -> flags written/read/undefined, implicit registers read/written, extension, privileged; merged over
    the iclass's forms (the first form's extension; privileged only when every form needs CPL 0)."""
    merged: dict[str, dict] = {}
    for path in sorted(glob.glob(os.path.join(datafiles, "**", "*isa*.txt"), recursive=True)):
        text = open(path, encoding="utf-8", errors="replace").read()
        for body in re.findall(r"\{([^{}]*ICLASS\s*:[^{}]*)\}", text):
            fields: dict[str, list[str]] = {}
            for line in body.splitlines():
                key, sep, value = line.partition(":")
                if sep:
                    fields.setdefault(key.strip(), []).append(value.strip())
            iclass = fields["ICLASS"][0]
            entry = merged.setdefault(iclass, {"flags_written": set(), "flags_read": set(), "flags_undefined": set(),
                                               "implicit_read": set(), "implicit_written": set(), "cpl": set(),
                                               "extensions": []})
            entry["extensions"] += fields.get("EXTENSION", [])
            entry["cpl"].update(fields.get("CPL", []))
            for flags in fields.get("FLAGS", []):
                for flag, action in re.findall(r"\b([a-z0-9]+)-(mod|tst|u|0|1|pop|ah)\b", flags):
                    if action in _WRITTEN:
                        entry["flags_written"].add(flag)
                    elif action == "tst":
                        entry["flags_read"].add(flag)
                    elif action == "u":
                        entry["flags_undefined"].add(flag)
            for operands in fields.get("OPERANDS", []):
                for register, access in re.findall(r"=XED_REG_([A-Z0-9_]+):([rwc]+)[^ ]*:SUPP", operands):
                    if _PSEUDO_REGISTERS.match(register) or register in ("RFLAGS", "EFLAGS", "FLAGS", "EIP", "IP"):
                        continue
                    if "r" in access:
                        entry["implicit_read"].add(register.lower())
                    if "w" in access:
                        entry["implicit_written"].add(register.lower())
    out = {}
    order = ["cf", "pf", "af", "zf", "sf", "tf", "if", "df", "of", "iopl", "nt", "rf", "vm", "ac", "vif", "vip", "id"]
    for iclass, entry in merged.items():
        extensions = entry["extensions"]     # the base form's extension, else the most common one
        common = max(sorted(set(extensions)), key=extensions.count) if extensions else ""
        facts: dict = {"extension": "BASE" if "BASE" in extensions else common}
        for key in ("flags_written", "flags_read", "flags_undefined"):
            if entry[key]:
                facts[key] = sorted(entry[key], key=lambda f: (order.index(f) if f in order else 99, f))
        for key in ("implicit_read", "implicit_written"):
            if entry[key]:
                facts[key] = sorted(entry[key])
        if entry["cpl"] == {"0"}:
            facts["privileged"] = "ring 0 only (CPL 0)"
        out[iclass] = facts
    return out


# -- RISC-V ---------------------------------------------------------------------------------

_ACCESS = {"never": "never", "sometimes": "only when allowed", "always": "always"}


def riscv(sources: str) -> tuple[dict, dict]:
    udb = os.path.join(sources, "udb", "spec", "std", "isa")
    anchors = set(re.findall(r'<h3 id="(_[a-z0-9_]+)">', open(os.path.join(sources, "isadoc", "index.html"),
                                                               encoding="utf-8").read()))
    out: dict[str, dict] = {}
    for path in sorted(glob.glob(os.path.join(udb, "inst", "**", "*.yaml"), recursive=True)):
        data = yaml.safe_load(open(path, encoding="utf-8"))
        if not isinstance(data, dict) or data.get("kind") != "instruction":
            continue
        entry = {"name": data.get("long_name", "").strip().rstrip(".")}
        summary = _sentence(data.get("description") or "")
        if summary and summary.rstrip(".").lower() != entry["name"].lower():
            entry["summary"] = summary
        extension = _extension(data.get("definedBy"))
        if extension:
            entry["extension"] = extension
        access = data.get("access") or {}
        if access.get("u") in ("never", "sometimes"):
            entry["privileged"] = (f"U-mode: {_ACCESS[access['u']]}; S-mode: {_ACCESS[access.get('s', 'always')]}")
        anchor = "_" + data["name"].replace(".", "_")
        if anchor in anchors:
            entry["url"] = RISCV_REFERENCE.format(anchor=anchor)
        out[data["name"]] = entry
    for pseudo, expansion, meaning in _asm_manual_pseudos(os.path.join(sources, "asm-manual", "asm-manual.adoc")):
        base = expansion.split()[0] if expansion and not expansion.startswith("*") else None
        if pseudo in out and "pseudo" not in out[pseudo]:
            continue    # a real instruction the manual also lists with its default operands (`fence`)
        entry = out.setdefault(pseudo, {"name": meaning,    # "*": the assembler chooses the instructions
                                        "pseudo": expansion if base else "*"})
        if base in out and "url" in out[base]:
            entry.setdefault("url", out[base]["url"])
        if base in out and "extension" in out[base]:
            entry.setdefault("extension", out[base]["extension"])
    csrs = {}
    for path in sorted(glob.glob(os.path.join(udb, "csr", "**", "*.yaml"), recursive=True)):
        data = yaml.safe_load(open(path, encoding="utf-8"))
        if not isinstance(data, dict) or data.get("kind") != "csr" or data.get("address") is None:
            continue
        entry = {"name": str(data.get("long_name", "")).strip().rstrip("."), "address": f"{int(data['address']):#05x}",
                 "privilege": str(data.get("priv_mode", ""))}
        summary = _sentence(str(data.get("description") or ""))
        if summary:
            entry["summary"] = summary
        if data.get("writable") is False:
            entry["read_only"] = True
        csrs[data["name"]] = entry
    return dict(sorted(out.items())), dict(sorted(csrs.items()))


def _extension(defined) -> str | None:
    if isinstance(defined, dict):
        if "extension" in defined:
            return _extension(defined["extension"])
        if "name" in defined:
            return str(defined["name"])
        for key in ("anyOf", "allOf", "oneOf"):
            if key in defined:
                names = [_extension(item) for item in defined[key]]
                return (" or " if key != "allOf" else " and ").join(name for name in names if name)
    return None


def _asm_manual_pseudos(path: str) -> list[tuple[str, str, str]]:
    """(mnemonic, base instruction(s), meaning) from the manual's pseudo-instruction tables."""
    text = open(path, encoding="utf-8").read()
    rows = []
    for title, table in re.findall(r"^\.(Pseudo[^\n]*)\n(?:\[[^\n]*\]\n)?\|===\n(.*?)\n\|===", text, re.S | re.M):
        header, _, body = table.partition("\n")
        columns = header.count("|")
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", body)[1:]]
        for start in range(0, len(cells) - columns + 1, columns):
            pseudo, expansion, meaning = cells[start:start + 3]
            mnemonic = pseudo.split()[0] if pseudo else ""
            expansion = " ".join(expansion.replace("+\n", "; ").split()).replace("\\|", "|")
            expansion = re.sub(r"\{fn-\d+\}", "", expansion)
            for spelling, suffix in ((mnemonic.replace("[h]", ""), ""), (mnemonic.replace("[h]", "h"), "h")):
                if re.fullmatch(r"[a-z][a-z0-9.]*", spelling):   # `rdcycle[h]`: rdcycle and rdcycleh
                    rows.append((spelling, expansion.replace("[h]", suffix), meaning.strip()))
    seen, unique = set(), []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            unique.append(row)
    return unique


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", required=True, help="the folder holding the sources (see the module docstring)")
    args = parser.parse_args()
    aarch64, arm = arm_names(os.path.join(args.sources, "b2r2"))
    riscv_instructions, csrs = riscv(args.sources)
    data = {
        "about": "Instruction documentation for hover and completion, written by tools/gen_instruction_docs.py "
                 "from the sources below (do not edit by hand).",
        "sources": SOURCES,
        "architectures": {"x86": x86(args.sources), "aarch64": aarch64, "arm": arm, "riscv": riscv_instructions},
        "riscv_csrs": csrs,
    }
    with open(OUTPUT, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
        out.write("\n")
    print(f"wrote {os.path.normpath(OUTPUT)}: " + ", ".join(
        f"{arch} {len(entries)}" for arch, entries in data["architectures"].items()) + f", {len(csrs)} CSRs")


if __name__ == "__main__":
    main()
