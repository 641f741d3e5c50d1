"""The assembler-backed checks: every front-end-clean block of a file through rustc's LLVM, one run per architecture.

That run's object also serves the contract analysis and hover (``decoded.py``): one rustc run per file and target
when the blocks assemble (one more, for the contract analysis of the clean blocks, when some block fails)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from asm_ls.checks.assumed import assumed_architecture
from asm_ls.diagnostics import Diagnostic
from asm_ls.diagnostics.codes import severity_of
from asm_ls.machine import backend
from asm_ls.machine.blocks import assemblable, block_id, compile_target, extra_features
from asm_ls.machine.cache import CACHE
from asm_ls.machine.contract import contract_diagnostics
from asm_ls.machine.semantics import available
from asm_ls.machine.decoded import remember_generated, remember_object
from asm_ls.machine.framing import framing
from asm_ls.machine.generate import GeneratedBlock, generate_block, generate_crate, labels_safe, module_lines, statements
from asm_ls.machine.hidden import defined_names, names_something_hidden
from asm_ls.machine.requirements import CODE as MISSING_FEATURE, missing_feature, required_features
from asm_ls.machine.substitute import Substituter
from asm_ls.model.arch import arch_data
from asm_ls.model.args import parse_args
from asm_ls.model.build import FileModel, ResolvedBlock, resolve_for
from asm_ls.model.configurations import stable_architectures
from asm_ls.model.target import Target, default_target, parse_target
from asm_ls.model.target_data import also_assembled_for, known_targets
from asm_ls.syntax.source import SourceFile

ERROR = "assembler-error"
WARNING = "assembler-warning"
UNAVAILABLE = "assembler-unavailable"
REFUSED = "assembler-directive-refused"

MAX_SOLO_RUNS = 32          # blocks re-assembled one by one to place errors LLVM gives no line for
_SUMMARY = re.compile(r"^(aborting due to|\d+ warnings? emitted)")
_INSTANTIATED = "instantiated into assembly here"
_MACRO = "while in macro instantiation"
_UNDEFINED = re.compile(r"^Undefined temporary symbol (\S+)$")
_REDEFINED = re.compile(r"^symbol '.*' is already defined$")
# LLVM's words for a mnemonic it does not know (x86; AArch64, RISC-V, LoongArch; ARM, PowerPC, with or without its
# suggestions), never for one whose operands are wrong (ARM's "invalid instruction, any one of the following ...").
_UNKNOWN_INSTRUCTION = re.compile(r"^(invalid instruction mnemonic|unrecognized instruction mnemonic"
                                  r"|invalid instruction(, did you mean.*)?$)")
_FITS = (0, 0, 0)


@dataclass(frozen=True)
class Finding:
    """One LLVM message about one block: ``line`` indexes the block's template lines (None: framing or no line known),
    columns ``first``..``last`` are 0-based (equal: a caret)."""

    level: str
    message: str
    notes: tuple[str, ...] = ()
    line: int | None = None
    first: int = 0
    last: int = 0


class Assembled(list):
    """The assembler's diagnostics for a file, and ``refuted``: the blocks under a guessed configuration that do not
    assemble there but do on another architecture, as (start, end, guessed architecture); the front end's findings
    for those configurations are the guess's, and are dropped (a guess may silence a finding, never create one)."""

    def __init__(self, diagnostics=(), refuted=()) -> None:
        super().__init__(diagnostics)
        self.refuted = list(refuted)


def assemble_file(model: FileModel, source: SourceFile, settings, front_end: list[Diagnostic] | None = None) \
        -> Assembled:
    """The assembler's diagnostics for a file.  ``front_end``: the file's other diagnostics, whose errors keep their
    block (for that architecture) out of the run; when None the blocks' expansion and register checks are run here."""
    groups: dict[Target, list[ResolvedBlock]] = {}
    for resolved in model.blocks:
        if assemblable(resolved, settings, front_end):
            groups.setdefault(resolved.target, []).append(resolved)
    if not groups:
        return Assembled()
    first = next(iter(groups.values()))[0].block
    rustc = backend.find_rustc(getattr(settings, "rustc", None))
    timeout = getattr(settings, "assemble_timeout", backend.DEFAULT_TIMEOUT)
    if rustc is None:
        return Assembled([_unavailable(first, f"`{getattr(settings, 'rustc', None) or 'rustc'}` was not found")])
    try:
        version = backend.version(rustc, timeout)
    except backend.BackendError as error:
        return Assembled([_unavailable(first, str(error))])
    found: dict[tuple, Diagnostic] = {}
    refuted: list[tuple[int, int, str]] = []
    hidden = {resolved.arch for resolved in model.blocks if resolved.block.unknown_template}
    for configured, blocks in groups.items():
        arch = configured.arch
        target = compile_target(configured)
        alternatives = [] if configured.explicit else [t for t in also_assembled_for(arch) if t in known_targets()]
        try:
            diagnostics = _assemble_arch(arch, target, blocks, source, rustc, version, timeout, alternatives, refuted,
                                         arch in hidden, model)
        except backend.BackendError as error:
            return Assembled([_unavailable(first, str(error))])
        for diagnostic in diagnostics:
            key = (diagnostic.code, diagnostic.message, diagnostic.start, diagnostic.end)
            if key not in found:
                found[key] = diagnostic
            elif arch not in (found[key].target or "").split(", "):
                found[key].target = f"{found[key].target}, {arch}"
    return Assembled(sorted(found.values(), key=Diagnostic.sort_key), refuted)


def _unavailable(block, reason: str) -> Diagnostic:
    return Diagnostic(UNAVAILABLE, f"templates were not assembled: {reason}", block.start,
                      block.start + len(block.kind), severity="information")


def _assemble_arch(arch: str, target: Target, blocks: list[ResolvedBlock], source: SourceFile, rustc: str,
                   version: str, timeout: float, alternatives: list[str] = (),
                   refuted: list[tuple[int, int, str]] | None = None, hidden: bool = False,
                   model: FileModel | None = None) -> list[Diagnostic]:
    """``hidden``: some block of the file for ``arch`` has text that cannot be known (and may define names)."""
    comments = tuple(arch_data(arch).data.get("line_comments", ()))
    generated = _generate(arch, target, blocks, source, labelled=True)
    if not generated:
        return []
    features = extra_features(target, blocks)
    remember_generated(source.data, target, version, generated, features, source.path)
    findings = block_findings(generated, rustc, target, arch, features, version, timeout)
    for triple in alternatives:
        other = block_findings(generated, rustc, replace(parse_target(triple), explicit=False), arch, features, version,
                          timeout)
        findings = [[finding for finding in found if _where(finding) in {_where(f) for f in other[position]}]
                    for position, found in enumerate(findings)]
    # Blocks under guessed configurations may exclude each other (`cfg_if!` arms on custom cfgs): a symbol two of
    # them define is not a finding of either.
    findings = [[finding for finding in found if block.resolved.certain or not _REDEFINED.match(finding.message)]
                for block, found in zip(generated, findings)]
    # What is reported leaves out errors about names unknown text may define; what refutes a guess and what is clean
    # still counts them (the block did not assemble).
    reported = _without_hidden_names(generated, findings, arch, comments) if hidden else findings
    out: list[Diagnostic] = []
    clean: list[GeneratedBlock] = []
    elsewhere = _written_elsewhere([(block, findings[position]) for position, block in enumerate(generated)
                                    if not block.resolved.certain and _failed(findings[position])],
                                   source, rustc, version, timeout)
    for position, block in enumerate(generated):
        if id(block.resolved) in elsewhere:
            fits = elsewhere[id(block.resolved)]
            if refuted is not None:
                refuted.append((block.resolved.block.start, block.resolved.block.end, arch))
            if fits not in block.resolved.block.architectures:     # else: checked under that configuration
                out.append(assumed_architecture(block.resolved, fits, "does not assemble"))
            continue
        for refusal in block.refused:
            out.append(Diagnostic(REFUSED, f"`{refusal.word}` was not assembled: asm-ls never lets the assembler read "
                                           "files", refusal.start, refusal.end, severity="warning", target=arch))
        if block.refused:
            continue         # what was assembled is not the block as written: its errors may be asm-ls's own
        if block.resolved.certain and not _failed(findings[position]):
            clean.append(block)      # contract findings only where the configuration is not a guess
        for finding in reported[position]:
            diagnostic = _diagnostic(finding, block, comments, arch, target)
            if diagnostic is not None:
                out.append(diagnostic)
    # What the assembled code really does, against what the block declares.
    out += contract_diagnostics(clean, rustc, target, arch, features, version, timeout, source.data, model)
    return out


def _without_hidden_names(generated: list[GeneratedBlock], findings: list[list[Finding]], arch: str,
                          comments: tuple[str, ...]) -> list[list[Finding]]:
    """The findings, less the errors on statements that use a name the file's known assembly does not define (its
    unknown text may: ``hidden.py``)."""
    data = arch_data(arch)
    defined = defined_names([line.text for block in generated for line in block.lines])

    def kept(block: GeneratedBlock, finding: Finding) -> bool:
        if finding.level != "error" or finding.line is None:
            return True
        text = block.lines[finding.line].text
        found = statements(text, comments)
        statement = next((s for s in found if s[0] <= finding.first <= s[1]), found[0] if found else (0, len(text)))
        return not names_something_hidden(text, statement, bool(_UNKNOWN_INSTRUCTION.match(finding.message)), data,
                                          defined)

    return [[finding for finding in found if kept(block, finding)] for block, found in zip(generated, findings)]


def _where(finding: Finding) -> tuple:
    """What must agree between targets (the wording of "did you mean" lists may differ)."""
    return finding.level, finding.line, finding.first, finding.last


def block_findings(generated: list[GeneratedBlock], rustc: str, target: Target, arch: str, features: list[str],
                   version: str, timeout: float) -> list[list[Finding]]:
    """Each block's findings for one target: from the cache, the others from one rustc run."""
    context = (target.triple, target.cpu, tuple(features), version)
    findings: list[list[Finding] | None] = [CACHE.get((block.key(), context)) for block in generated]
    missing = [position for position, found in enumerate(findings) if found is None]
    if missing:
        todo = [generated[position] for position in missing]
        for position, found in zip(missing, _run(todo, rustc, target, arch, features, timeout, version)):
            findings[position] = found
            CACHE.put((generated[position].key(), context), found)
    return findings


def _failed(findings: list[Finding]) -> bool:
    return any(finding.level == "error" for finding in findings)


def _generate(arch: str, target: Target, blocks: list[ResolvedBlock], source: SourceFile,
              labelled: bool) -> list[GeneratedBlock]:
    """The blocks as the generated crate holds them for one target (``labelled``: with the template-line labels the
    contract analysis and hover need, where the object can be decoded)."""
    data = arch_data(arch)
    comments = tuple(data.data.get("line_comments", ()))
    intel = bool(data.data.get("att_syntax"))
    frame = framing(target)
    decodable = labelled and frame.decodable and available(arch)
    seen: dict[str, int] = {}
    generated: list[GeneratedBlock] = []
    for resolved in blocks:
        name = block_id(resolved, seen)
        substituter = Substituter(resolved, target, name, source.data)
        block = generate_block(resolved, substituter, name, intel, frame, comments)
        if block is not None:
            if decodable and labels_safe(block):
                # Labelled as the contract analysis and hover need them: one run serves all three (decoded.py).
                block = replace(block, line_labels=True)
            generated.append(block)
    return generated


def _written_elsewhere(failing: list[tuple[GeneratedBlock, list[Finding]]], source: SourceFile, rustc: str,
                       version: str, timeout: float) -> dict[int, str | None]:
    """For blocks that fail to assemble under a guessed configuration (with their findings there): the architecture
    each fits best when that is not the guess (``_misfit``: fewer of its lines fail there; between the block's own
    architectures, then fewer of them are instructions the assembler does not know, fewer need a target feature,
    as a mnemonic another architecture happens to know proves nothing): the block's other targets of the same
    architecture first (``Configuration.alternatives``; its own architecture then), then the usual target of the
    block's other architectures, then of each stable architecture.  The first clean one ends a block's search; one rustc run per target tried, for all the
    blocks still open.  None for a block that fits none better in a crate that may enable experimental
    architectures."""
    best: dict[int, tuple[tuple[int, int, int], str | None]] = {id(block.resolved): (_misfit(block, found), None)
                                                                for block, found in failing}
    trials: dict[Target, list[ResolvedBlock]] = {}
    for block, _ in failing:
        resolved = block.resolved
        for target in resolved.configuration.alternatives:
            trials.setdefault(target, []).append(resolved)
    # Then the block's own other architectures (which win a tie: `loongarch64` over `loongarch32`), then the others.
    owned = [(block.resolved, arch) for block, _ in failing for arch in block.resolved.block.architectures]
    tried: set[tuple[int, Target]] = set()
    for resolved, arch in owned + [(block.resolved, arch) for arch in stable_architectures() for block, _ in failing]:
        target = default_target(arch)
        if target.known and resolved.arch != arch and (id(resolved), target) not in tried:
            tried.add((id(resolved), target))
            trials.setdefault(target, []).append(resolved)
    parsed = {id(block.resolved): parse_args(block.resolved.block.call) for block, _ in failing}
    for target, blocks in trials.items():
        arch = target.arch
        candidates = []
        for resolved in (resolved for resolved in blocks if best[id(resolved)][0] > _FITS):
            other = resolve_for(resolved, target, parsed[id(resolved)])
            if assemblable(other, None, []):
                candidates.append((resolved, other))
        generated = _generate(arch, target, [other for _, other in candidates], source, labelled=False)
        by_resolved = {id(block.resolved): block for block in generated}
        runnable = [(resolved, by_resolved[id(other)]) for resolved, other in candidates if id(other) in by_resolved]
        if not runnable:
            continue
        results = block_findings([block for _, block in runnable], rustc, target, arch, extra_features(target, []), version,
                            timeout)
        for (resolved, block), result in zip(runnable, results):
            failed = _misfit(block, result)
            if arch not in resolved.block.architectures:
                failed = (failed[0], len(block.lines) + 1, 0)   # another architecture wins on failing lines alone
            if failed < best[id(resolved)][0]:
                best[id(resolved)] = (failed, arch)
    experimental = {id(block.resolved) for block, _ in failing if block.resolved.configuration.experimental_possible}
    return {key: arch for key, (_, arch) in best.items() if arch is not None or key in experimental}


def _misfit(block: GeneratedBlock, findings: list[Finding]) -> tuple[int, int, int]:
    """How badly the block fits the architecture it was assembled for, fewer first: the template lines with an error
    (every line, when an error has no line), then those whose instruction the assembler does not know at all (a line
    of another architecture, where an error about its operands says the instruction is this one's), then those that
    only need a target feature (which the build may enable: such a line fits its architecture)."""
    features = [finding for finding in findings
                if finding.level == "error" and required_features(finding.message, block.resolved.arch) is not None]
    errors = [finding for finding in findings if finding.level == "error" and finding not in features]
    if any(finding.line is None for finding in errors):
        return len(block.lines), 0, 0
    unknown = {finding.line for finding in errors if _UNKNOWN_INSTRUCTION.match(finding.message)}
    return len({finding.line for finding in errors}), len(unknown), len({finding.line for finding in features})


def _run(blocks: list[GeneratedBlock], rustc: str, target: Target, arch: str, features: list[str],
         timeout: float, version: str) -> list[list[Finding]]:
    """One rustc run over ``blocks``: each block's findings; its object, when it has one, decodes the labelled blocks
    (``decoded.py``).  Messages LLVM gives no line for are placed by running the blocks one at a time."""
    labelled = any(block.line_labels for block in blocks)
    run = backend.compile_crate(rustc, generate_crate(blocks), target.triple, arch, features, timeout,
                                keep_object=labelled, cpu=target.cpu)
    _check_run(run)
    if run.object is not None:
        remember_object(blocks, run.object, target, arch, features, version)
    lines = module_lines(blocks, bool(arch_data(arch).data.get("att_syntax")))
    results: list[list[Finding]] = [[] for _ in blocks]
    unplaced: list[Finding] = []
    for message, location, macro_line in _llvm_messages(run.messages):
        place = _place(lines, location)
        notes = _notes(message)
        if macro_line is not None:
            notes += (f"in the expansion of a macro: `{macro_line}`",)
        text = message["message"].split("\n")
        finding_notes = tuple(line for line in text[1:] if line.strip()) + notes
        if place is None:
            if message["level"] == "error":
                unplaced.append(Finding("error", text[0], finding_notes))
            continue
        position, index, first, last = place
        results[position].append(Finding(message["level"], text[0], finding_notes, index, first, last))
    if unplaced:
        if len(blocks) == 1:
            results[0] += unplaced
        elif len(blocks) <= MAX_SOLO_RUNS:
            return [_run([block], rustc, target, arch, features, timeout, version)[0] for block in blocks]
        else:
            results[0] += [replace(finding, notes=finding.notes + ("LLVM gave no line for this error; the block it "
                                                                   "belongs to is not known",))
                           for finding in unplaced]
    return results


def _check_run(run: backend.Run) -> None:
    """Raise when the run failed for a reason that is not a template's: an error about the generated crate itself
    (it has a span), or a failure without any diagnostic (a crash, a missing target)."""
    for message in run.messages:
        if message.get("level") in ("error", "failure-note") and message.get("spans"):
            raise backend.BackendError(f"rustc rejected the generated crate: {message['message']}")
        if message.get("level") == "error" and _is_setup_error(message["message"]):
            raise backend.BackendError(f"rustc failed: {message['message']}")
    errors = [m for m in run.messages if m.get("level") == "error" and not _SUMMARY.match(m["message"])]
    if run.returncode != 0 and not errors:
        lines = [line for line in run.stderr.splitlines() if line.strip() and not line.startswith("{")]
        raise backend.BackendError(f"rustc failed: {lines[0].strip() if lines else f'exit status {run.returncode}'}")


def _is_setup_error(message: str) -> bool:
    return message.startswith(("could not find specification for target", "error loading target specification",
                               "Error loading target specification", "can't find crate", "target requires",
                               "couldn't create a temp dir", "couldn't read", "unknown target"))


def _llvm_messages(messages: list[dict]):
    """(message, its location or None, the macro line it came from) for LLVM's errors and warnings, a location being
    (1-based line, 1-based first column, last column, line text) in the module's assembly."""
    for index, message in enumerate(messages):
        if message.get("level") not in ("error", "warning") or message.get("spans") \
                or _SUMMARY.match(message["message"]):
            continue
        location = _location(message)
        macro_line = None
        follow = index + 1
        while follow < len(messages) and messages[follow].get("level") == "note" \
                and messages[follow]["message"] == _MACRO:
            outer = _location(messages[follow])
            if outer is not None:
                if macro_line is None and location is not None:
                    macro_line = location[3]
                location = outer
            follow += 1
        yield message, location, macro_line


def _location(message: dict) -> tuple[int, int, int, str] | None:
    for child in message.get("children", []):
        if child.get("message") == _INSTANTIATED and child.get("spans"):
            span = max(child["spans"], key=lambda s: (s["column_end"] - s["column_start"]))
            text = span["text"][0]["text"] if span.get("text") else ""
            return span["line_start"], span["column_start"], span["column_end"], text
    return None


def _notes(message: dict) -> tuple[str, ...]:
    return tuple(child["message"] for child in message.get("children", [])
                 if child.get("message") not in (_INSTANTIATED, None) and child["message"].strip())


def _place(lines: list[tuple[int | None, int | None, str]], location) -> tuple[int, int | None, int, int] | None:
    """(block position, line index, first, last column) of a location in the module's assembly, checked against the
    line's text; a line number that disagrees falls back to the one generated line with that text."""
    if location is None:
        return None
    number, first, last, text = location
    if 0 < number <= len(lines) and lines[number - 1][2] == text:
        position, index, _ = lines[number - 1]
    else:
        matches = [entry for entry in lines if entry[2] == text]
        if len(matches) != 1:
            return None
        position, index, _ = matches[0]
    if position is None:
        return None
    return position, index, max(first - 1, 0), max(last - 1, first - 1, 0)


def _diagnostic(finding: Finding, block: GeneratedBlock, comments: tuple[str, ...], arch: str, target: Target) \
        -> Diagnostic | None:
    code = ERROR if finding.level == "error" else WARNING
    severity = "error" if finding.level == "error" else "warning"
    message = finding.message
    missing = missing_feature(message, arch, target) if finding.level == "error" else None
    if missing is not None:
        code, severity, message = MISSING_FEATURE, severity_of(MISSING_FEATURE), missing
    start, end = block.range
    if finding.line is None:
        start, end = _symbol_use(finding.message, block) or block.range
    else:
        line = block.lines[finding.line]
        if line.stand_in:
            return None         # the line holds a value asm-ls had to make up
        first, last = (finding.first, finding.last) if finding.last > finding.first \
            else _caret(line.text, finding.first, comments)
        origins = [origin for origin in line.origin[first:last] if origin is not None]
        if origins:
            start, end = min(o[0] for o in origins), max(o[1] for o in origins)
    return Diagnostic(code, message, start, end, severity=severity, notes=finding.notes, target=arch)


def _symbol_use(message: str, block: GeneratedBlock) -> tuple[int, int] | None:
    """Where the block names the symbol an "Undefined temporary symbol" error is about (LLVM gives no line)."""
    match = _UNDEFINED.match(message)
    if match is None:
        return None
    pattern = re.compile(r"(?<![\w.$])" + re.escape(match.group(1)) + r"(?![\w.$])")
    for line in block.lines:
        found = pattern.search(line.text)
        if found is not None:
            origins = [o for o in line.origin[found.start():found.end()] if o is not None]
            if origins:
                return min(o[0] for o in origins), max(o[1] for o in origins)
    return None


def _caret(text: str, column: int, comments: tuple[str, ...]) -> tuple[int, int]:
    """The characters a zero-width caret designates: at the start of a statement the whole statement, inside it the
    operand from the caret to the next top-level comma (or the one character there, a closing bracket)."""
    found = statements(text, comments)
    if not found:
        return 0, len(text)
    containing = [s for s in found if s[0] <= column <= s[1]] or [s for s in found if s[0] <= column] or found[:1]
    first, last = containing[-1] if containing[-1][0] <= column else containing[0]
    if column <= first or column >= last:
        return first, last
    depth = 0
    end = column
    while end < last:
        char = text[end]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif char == "," and depth == 0:
            break
        end += 1
    while end > column and text[end - 1].isspace():
        end -= 1
    if end > column:
        return column, end
    return (column, column + 1) if not text[column].isspace() else (first, last)
