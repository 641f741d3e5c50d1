; extends
; asm-ls for Neovim's tree-sitter highlighting (nvim-treesitter's `rust` and `asm` parsers): the
; template strings of asm!, global_asm! and naked_asm! (also core::arch::asm!, ...) are
; highlighted as assembly. `; extends` adds this to the Rust injections Neovim already has.
; Only the macro's own string arguments are templates: the strings inside in("eax"),
; clobber_abi("C") and other parenthesised groups are operands and stay strings.
((macro_invocation
   macro: [
     (scoped_identifier name: (identifier) @_macro_name)
     (identifier) @_macro_name
   ]
   (token_tree
     [
       (string_literal (string_content) @injection.content)
       (raw_string_literal (string_content) @injection.content)
     ]))
 (#any-of? @_macro_name "asm" "global_asm" "naked_asm")
 (#set! injection.language "asm"))
