"""Finding calls in macro contexts: inside `$( .. )` repetitions, through `$crate::` re-exports,
and not inside `quote!`-like token templates."""

from __future__ import annotations

from asm_ls.syntax.finder import find_calls, scan_file
from asm_ls.syntax.treesitter import parse


def _found(text: str) -> list[tuple[str, str, bool]]:
    data = text.encode()
    return [(call.kind, data[call.start:call.end].decode(), call.in_macro_definition)
            for call in find_calls(parse(data), data)]


def test_calls_in_repetitions_are_found() -> None:
    text = '''
macro_rules! m { ($($x:expr),*) => { inner! { $( asm!("a", in(reg) $x); )* } }; }
fn f() { outer! { $( asm!("b"); )+ } }
macro_rules! n { ($($x:expr),*) => { $( $( naked_asm!("c"); )? )* }; }
'''
    assert _found(text) == [("asm", 'asm!("a", in(reg) $x)', True), ("asm", 'asm!("b")', False),
                            ("naked_asm", 'naked_asm!("c")', True)]


def test_calls_through_crate_paths_are_found() -> None:
    text = '''
macro_rules! m { () => {
    $crate::arch::asm!("a");
    $crate::reexport::global_asm!("b");
    other::global_asm!("not ours");
}; }
'''
    assert _found(text) == [("asm", '$crate::arch::asm!("a")', True),
                            ("global_asm", '$crate::reexport::global_asm!("b")', True)]


def test_token_templates_are_not_looked_into() -> None:
    text = '''
fn generate() {
    let a = quote! { core::arch::global_asm!{#patch} };
    let b = quote::quote_spanned! {span=> asm!("nop", in(reg) #x); mod generated; };
    let c = syn::parse_quote!(asm!(#template));
    let d = parse_quote_spanned!(span=> asm!(#template));
    wrapper! { quote! { asm!(#t) } asm!("found") }
}
'''
    data = text.encode()
    calls, modules = scan_file(parse(data), data)
    assert [data[call.start:call.end].decode() for call in calls] == ['asm!("found")'] and modules == []
