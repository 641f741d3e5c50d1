; asm-ls for Helix: the template strings of asm!, global_asm! and naked_asm! (also when written
; with a path, as core::arch::asm! or std::arch::global_asm!) are highlighted as GNU assembler.
; Only string arguments of the macro itself are templates: the strings inside in("eax"),
; clobber_abi("C") and other parenthesised groups are operands and stay strings.
; Each string is injected on its own (one template line each), split at escape sequences.
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
 (#set! injection.language "gas"))
