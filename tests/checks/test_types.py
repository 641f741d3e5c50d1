"""Evident operand types (asm_ls.model.types) and the type check on top of them."""

from __future__ import annotations

import pytest

from asm_ls.checks.types import check_types, pointer_width
from asm_ls.model.build import build_file
from asm_ls.model.target import parse_target
from asm_ls.model.types import asm_type, expression_type, lint_allowed, operand_types, printable
from asm_ls.syntax.source import SourceFile
from asm_ls.syntax.treesitter import parse

SOURCE = """
static S: u8 = 0;
static mut M: u32 = 0;
const C: i128 = 0;
pub struct P { a: u16, b: [u8; 4] }
pub struct T(u8, u32);
pub struct G<X> { x: X, y: u8 }
type Alias = u64;
fn callee() {}
impl P {
    fn method(&self) {}
}
pub unsafe fn f(a: u8, p: P, q: &P, r: &mut u64, d: *const u8, s: &str, t: T, g: fn(), v: Alias,
                bytes: &[u8], gen: G<u8>, o: Option<u8>) {
    let x: u32 = 0;
    let y = 5u16;
    let z = 5;
    let w = x as u64;
    let (m, n) = (1u8, 2u8);
    let arr = [0u8; 16];
    let borrowed = &arr;
    let item = callee;
    let shadowed: u8 = 0;
    let shadowed = shadowed as i64;
    {
        let x = y;
    }
}
"""

CASES = [
    # (expression, as input, as output: only places are outputs)
    ("a", "u8", "u8"),
    ("x", "u32", "u32"),              # the inner block's `x` is not visible at the end
    ("y", "u16", "u16"),
    ("w", "u64", "u64"),
    ("v", "u64", "u64"),              # a type alias of the file
    ("shadowed", "i64", "i64"),
    ("S", "u8", "u8"),
    ("M", "u32", "u32"),
    ("C", "i128", None),              # a const is not a place
    ("d", "*const u8", "*const u8"),
    ("r", "*mut u64", "&mut u64"),    # inputs: references become raw pointers
    ("q", "*const _", "&_"),          # a struct is never printed
    ("s", "*const str", "&str"),
    ("bytes", "*const [u8]", "&[u8]"),
    ("g", "fn(_)", "fn(_)"),
    ("item", "fn(_)", None),          # a function item: only an input coerces it
    ("callee", "fn(_)", None),
    ("&a", "*const u8", None),
    ("&mut y", "*mut u16", None),
    ("&p", "*const _", None),         # a named value is always sized
    ("&q.b", "*const [u8; 4]", None),
    ("*r", "u64", "u64"),
    ("*d", "u8", "u8"),
    ("p.a", "u16", "u16"),
    ("q.a", "u16", "u16"),            # through a reference
    ("p.b", "[u8; 4]", "[u8; 4]"),
    ("t.1", "u32", "u32"),
    ("arr", "[u8; 16]", "[u8; 16]"),
    ("borrowed", "*const [u8; 16]", "&[u8; 16]"),
    ("arr.as_ptr()", "*const u8", None),
    ("arr.as_mut_ptr()", "*mut u8", None),
    ("s.as_ptr()", "*const u8", None),
    ("borrowed.as_ptr()", "*const u8", None),
    ("5u8", "u8", None),
    ("5", "i32", None),              # nothing else can constrain a literal operand
    ("5.0", "f64", None),
    ("1e3", "f64", None),
    ("1f32", "f32", None),
    ("0x1f32", "i32", None),         # hexadecimal digits, not a suffix
    ("0xffu8", "u8", None),
    ("-5i8", "i8", None),
    ("!a", "u8", None),
    ("a + 1", "u8", None),
    ("1 + 2", "i32", None),
    ("x << 2", "u32", None),
    ("a == 1", "bool", None),
    ("(a)", "u8", "u8"),
    ("a as u64", "u64", None),
    ("d as usize", "usize", None),
    ("r as *mut u64 as usize", "usize", None),
    ("q as *const P", "*const _", None),
    ("true", "bool", None),
    ("'c'", "char", None),
    ('"text"', "*const str", None),
    ("()", "()", None),
    ("(1, 2)", "(i32, i32)", None),
    ("[1, 2, 3]", "[i32; 3]", None),
    ("[1u8, 2]", "[u8; 2]", None),
    ("[a, 2]", "[u8; 2]", None),
    ("[0u64; 2]", "[u64; 2]", None),
    # Unknown: never guessed.
    ("z", "i32", "i32"),              # `let z = 5;` with no other use: rustc falls back to i32
    ("m", None, None),                # bound by a tuple pattern
    ("p", None, None),                # a struct value: its printed path is not known
    ("gen.y", None, None),            # generic struct
    ("o", None, None),
    ("a as _", None, None),
    ("&arr[0]", None, None),
    ("nope", None, None),
    ("nope.a", None, None),
    ("nope.as_ptr()", None, None),
    ("callee()", None, None),
    ("|v: u8| v", None, None),
    ("0u8..2", None, None),
    ("b\"xy\"", None, None),
]


@pytest.mark.parametrize("expression,as_input,as_output", CASES, ids=[case[0] for case in CASES])
def test_expression_type(expression: str, as_input: str | None, as_output: str | None) -> None:
    assert expression_type(SOURCE, expression, as_input=True) == as_input
    assert expression_type(SOURCE, expression, as_input=False) == as_output


def test_self_fields_in_an_impl() -> None:
    source = "pub struct R { flags: u8 }\nimpl R { fn m(&self) { } }"
    position = source.index("{ }") + 1
    from asm_ls.model.types import Inference
    data = source.encode()
    assert Inference(parse(data), data).at(position, "self.flags", True) == "u8"
    assert Inference(parse(data), data).at(position, "self", False) == "&_"


def test_closure_and_match_bindings_are_unknown() -> None:
    source = "fn f(x: u8, o: Option<u16>) { match o { Some(x) => { } _ => {} } }"
    data = source.encode()
    from asm_ls.model.types import Inference
    inside = source.index("{ }") + 1
    assert Inference(parse(data), data).at(inside, "x", True) is None
    assert Inference(parse(data), data).at(source.rindex("}"), "x", True) == "u8"


def test_imported_names_are_unknown() -> None:
    assert expression_type("use other::S;\nstatic S: u8 = 0;\nfn f() {}", "S") is None
    assert expression_type("mod m { pub static S: u8 = 0; }\nfn f() {}", "S") is None
    assert expression_type("static S: u8 = 0;\nmod m { fn f() {} }", "S") is None


@pytest.mark.parametrize("ty,width,expected", [
    ("u8", 64, ("ok", "i8")), ("i128", 64, ("ok", "i128")), ("usize", 32, ("ok", "i32")),
    ("f32", 64, ("ok", "f32")), ("*const _", 64, ("ok", "i64")), ("fn(_)", 16, ("ok", "i16")),
    ("*const [u8; 4]", 64, ("ok", "i64")), ("*const [u8]", 64, ("unsized_pointer", None)),
    ("*mut str", 64, ("unsized_pointer", None)), ("*const dyn _", 64, ("unsized_pointer", None)),
    ("bool", 64, ("invalid", None)), ("&u8", 64, ("invalid", None)), ("(i32, i32)", 64, ("invalid", None)),
    ("[u8; 2]", 64, ("invalid", None)), ("()", 64, ("invalid", None)),
    ("_", 64, None), ("!", 64, None), (None, 64, None),
])
def test_asm_type(ty, width, expected) -> None:
    assert asm_type(ty, width) == expected


def test_printable() -> None:
    assert printable("*const u8") and printable("(i32, u8)")
    assert not printable("*const _") and not printable("fn(_)") and not printable("[_; 2]")


def test_lint_allowed() -> None:
    def allowed(text: str) -> bool:
        data = text.encode()
        return lint_allowed(parse(data), data, data.index(b"X"), "asm_sub_register")
    assert allowed("#![allow(asm_sub_register)]\nfn f() { X }")
    assert allowed("#[allow(dead_code, asm_sub_register)]\nfn f() { X }")
    assert allowed("mod m { #![allow(warnings)] fn f() { X } }")
    assert allowed("#[expect(asm_sub_register)]\nimpl A { fn f() { X } }")
    assert not allowed("#[allow(dead_code)]\nfn f() { X }")
    assert not allowed("#[deny(asm_sub_register)]\nfn f() { X }")
    assert not allowed("#[allow(asm_sub_register)]\nfn g() {}\nfn f() { X }")
    assert not allowed("fn f() { #[allow(asm_sub_register)] m!(X); }")    # rustc ignores it there
    assert allowed("fn f() { #[allow(asm_sub_register)] { m!(X); } }")


def _check(text: str, triple: str = "x86_64-unknown-linux-gnu") -> list[tuple[str, str, str]]:
    data = text.encode()
    target = parse_target(triple)
    model = build_file(SourceFile(data, "t.rs"), [target.arch], targets={target.arch: target})
    tree = parse(data)
    out = []
    for resolved in model.blocks:
        types = operand_types(tree, data, resolved)
        for diagnostic in check_types(resolved, target, types):
            out.append((diagnostic.code, diagnostic.message, text[diagnostic.start:diagnostic.end]))
    return out


def test_check_messages_and_spans() -> None:
    found = _check("use std::arch::asm;\npub unsafe fn f(x: u8, y: u32) {\n"
                   "    asm!(\"{}\", in(reg) x);\n"
                   "    asm!(\"{0} {0}\", in(reg) y);\n"
                   "    let f: f32;\n"
                   "    asm!(\"{:e}\", inout(reg) y => f);\n"
                   "    asm!(\"{}\", in(reg) true);\n}\n")
    assert found == [
        ("invalid-operand-type", "type `u8` cannot be used with this register class", "x"),
        ("asm-sub-register", "formatting may not be suitable for sub-register argument", "{0}"),
        ("inout-type-mismatch", "incompatible types for asm inout argument", "y"),
        ("unsupported-operand-type", "cannot use value of type `bool` for inline assembly", "true"),
    ]


def test_unknown_types_and_features_are_silent() -> None:
    # Unknown type; a type feature under #[target_feature] (implied features are not tracked).
    assert _check("use std::arch::asm;\nfn make() -> u8 { 0 }\npub unsafe fn f() {\n"
                  "    asm!(\"{}\", in(reg) make());\n}\n"
                  "#[target_feature(enable = \"avx512f\")]\npub unsafe fn g() {\n"
                  "    asm!(\"{}\", in(kreg) 0u64);\n}\n") == []
    # Bare architecture: features unknown.
    assert _check("pub unsafe fn f(x: f64) { asm!(\"{}\", in(freg) x); }", "riscv32") == []


def test_pointer_width() -> None:
    assert pointer_width(parse_target("x86_64-unknown-linux-gnu")) == 64
    assert pointer_width(parse_target("x86_64-unknown-linux-gnux32")) == 32
    assert pointer_width(parse_target("avr")) == 16
