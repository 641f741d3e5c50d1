"""The Rust type of an operand expression, when it is evident from the file alone.

rustc type-checks every register operand against its register class.  asm-ls has no type
checker; it recognises the cases where the type can be read off the source without inference,
and answers None (unknown) for everything else.  What is understood:

- literals: suffixed (``5u8``, ``1.0f32``), unsuffixed ones written directly as the operand
  (``5`` is ``i32``, ``1.0`` is ``f64``: nothing else can constrain them), ``true``, ``'c'``,
  ``"s"``, ``()``; ``-x``/``!x`` of a known type; ``a + b`` (and the other arithmetic and bit
  operators) when both sides agree; arrays and tuples of those;
- ``x as T`` with ``T`` written out;
- names: the nearest ``let x: T`` / ``let x = <evident expression>`` before the use,
  parameters with a type (``self`` in an ``impl``), ``const``/``static`` items of the
  enclosing blocks and module, function items;
- ``&x`` / ``&mut x`` (a reference to a named value is always a thin pointer), ``*x``;
- ``s.f`` / ``s.0`` on a non-generic struct of the same file (through references too) and on
  tuples; ``x.as_ptr()`` / ``x.as_mut_ptr()`` on arrays, slices and ``str``;
- outputs only when they are places (rustc does not type-check an invalid output).

The unsuffixed-literal default is what rustc uses in a function without other type errors
(with errors elsewhere in the function, rustc's literal gets no type and no check).

Types are strings printed as rustc prints them (``u8``, ``*const u32``, ``&mut i32``,
``[i32; 3]``).  A ``_`` stands for a part asm-ls cannot name but whose shape it knows:
``*const _`` is a thin pointer to something sized, ``fn(_)`` a function pointer.  Checks
never print a type that contains ``_``.

A call inside another macro, or in a function with attribute macros, has no evident types.
"""

from __future__ import annotations

import functools
import re

import tree_sitter

from asm_ls.model.item_index import ItemIndex
from asm_ls.syntax.treesitter import find_nodes, parse

INTEGERS = ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize")
FLOATS = ("f16", "f32", "f64", "f128")
PRIMITIVES = frozenset(INTEGERS + FLOATS + ("bool", "char", "str"))

_INT_SUFFIX = re.compile(r"(i8|i16|i32|i64|i128|isize|u8|u16|u32|u64|u128|usize)$")
_FLOAT_SUFFIX = re.compile(r"(f16|f32|f64|f128)$")
_ARITHMETIC = {"+", "-", "*", "/", "%", "&", "|", "^"}
_COMPARISON = {"==", "!=", "<", "<=", ">", ">=", "&&", "||"}
_FN_ITEM = "fn {item}"          # internal: the type of a function item (coerced to fn(_) as input)
_MAX_DEPTH = 24


# ---------------------------------------------------------------------------------------------
# The entry points


def operand_types(tree: tree_sitter.Tree, data: bytes, resolved,
                  items: ItemIndex | None = None) -> dict[int, tuple[str | None, str | None]]:
    """operand index -> (type of the expression checked as an input, type of the expression
    checked as an output), each None when not evident.  The input is the ``in`` expression or
    the left of ``inout(..) a => b``, after rustc's input coercions (``&T`` to ``*const T``,
    function items to function pointers); the output is the ``out`` expression, the whole
    ``inout`` expression, or the right of ``=>``.  ``items``: the tree's
    :class:`~asm_ls.model.item_index.ItemIndex`, to share between the blocks of one file."""
    block = resolved.block
    call = block.call
    if call.in_macro or call.in_macro_definition:
        return {}
    if call.function is not None and call.function.macro_attributes:
        return {}
    infer = Inference(tree, data, items)
    result: dict[int, tuple[str | None, str | None]] = {}
    for operand in block.operands:
        if operand.kind == "const" and operand.expr is not None and operand.expr.known:
            const_type = infer.value(operand.expr)
            if const_type is not None:
                result[operand.index] = (const_type, None)
            continue
        if operand.kind not in ("in", "out", "lateout", "inout", "inlateout"):
            continue
        in_type = out_type = None
        if operand.expr is not None and not operand.expr.known:
            continue
        if operand.kind == "in":
            in_type = infer.operand(operand.expr, as_input=True) if operand.expr else None
        elif operand.kind in ("out", "lateout"):
            out_type = infer.operand(operand.expr, as_input=False) if operand.expr and not operand.discard else None
        elif operand.split:
            in_type = infer.operand(operand.expr, as_input=True) if operand.expr else None
            if operand.out_expr is not None and operand.out_expr.known:
                out_type = infer.operand(operand.out_expr, as_input=False)
        else:
            out_type = infer.operand(operand.expr, as_input=False) if operand.expr else None
        if in_type is not None or out_type is not None:
            result[operand.index] = (in_type, out_type)
    return result


def expression_type(source: bytes | str, expression: str, as_input: bool = True) -> str | None:
    """The evident type of ``expression`` written just before the last ``}`` of ``source``
    (the end of its last function): a convenience for tests and tools."""
    data = source.encode("utf-8") if isinstance(source, str) else source
    position = data.rfind(b"}")
    return Inference(parse(data), data).at(max(position, 0), expression, as_input)


def lint_allowed(tree: tree_sitter.Tree, data: bytes, position: int, lint: str) -> bool:
    """Whether ``#[allow(lint)]``/``#[expect(lint)]`` (or of ``warnings``) is written on an item
    or statement enclosing ``position``, or as an inner attribute of an enclosing module or the
    file.  (rustc ignores lint attributes on a macro-call statement.)"""
    pattern = re.compile(rf"^#!?\[\s*(allow|expect)\s*\((?:[^()]*[\s,(])?\s*({re.escape(lint)}|warnings)\s*[,)]")
    node = tree.root_node.descendant_for_byte_range(position, position)
    while node is not None:
        attributed = node.type.endswith("_item") or (
            node.type in ("expression_statement", "let_declaration")
            and not (node.named_children and node.named_children[0].type == "macro_invocation"))
        sibling = node.prev_named_sibling if attributed else None
        while sibling is not None and sibling.type in ("attribute_item", "line_comment", "block_comment"):
            if sibling.type == "attribute_item" and pattern.search(_text(sibling, data)):
                return True
            sibling = sibling.prev_named_sibling
        body = node if node.type in ("source_file", "declaration_list") else None
        for child in body.named_children if body is not None else []:
            if child.type == "inner_attribute_item" and pattern.search(_text(child, data)):
                return True
        node = node.parent
    return False


# ---------------------------------------------------------------------------------------------
# Type strings


def asm_type(ty: str | None, pointer_width: int) -> tuple[str, str | None] | None:
    """rustc's classification of a type for inline assembly:
    ("ok", "i32" / "f64" / "i8x16"...), ("invalid", None) (not an integer, float, SIMD vector
    or pointer), ("unsized_pointer", None), or None when it cannot be known."""
    if ty is None or ty == "_" or ty == "!":
        return None
    if ty in ("u8", "i8"):
        return "ok", "i8"
    for bits in ("16", "32", "64", "128"):
        if ty in ("u" + bits, "i" + bits):
            return "ok", "i" + bits
    if ty in ("usize", "isize"):
        return "ok", f"i{pointer_width}"
    if ty in FLOATS:
        return "ok", ty
    if ty.startswith("fn("):
        return "ok", f"i{pointer_width}"
    if ty.startswith("*const ") or ty.startswith("*mut "):
        pointee = ty.split(" ", 1)[1]
        if pointee == "str" or pointee.startswith("dyn ") or (pointee.startswith("[") and ";" not in _top_level(pointee[1:-1])):
            return "unsized_pointer", None
        return "ok", f"i{pointer_width}"
    if ty in ("bool", "char", "str", "()") or ty.startswith(("&", "(", "[")):
        return "invalid", None
    return None


def printable(ty: str | None) -> bool:
    return ty is not None and re.search(r"(?<![A-Za-z0-9_])_(?![A-Za-z0-9_])", ty) is None


def _top_level(text: str) -> str:
    """``text`` with the contents of nested brackets removed (to find a top-level ``;``)."""
    depth = 0
    out = []
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def _coerce_input(ty: str | None) -> str | None:
    """rustc coerces input operands: references to raw pointers, function items to pointers."""
    if ty is None:
        return None
    if ty == _FN_ITEM:
        return "fn(_)"
    if ty.startswith("&mut "):
        return "*mut " + ty[5:]
    if ty.startswith("&"):
        return "*const " + ty[1:]
    return ty


def _public(ty: str | None) -> str | None:
    """Internal strings to the operand view: a struct name is not printed (rustc's path for it
    depends on the whole crate), only its shape behind a pointer is kept."""
    if ty is None or ty == _FN_ITEM or ty == "!":
        return None
    names = re.sub(r"\b(?:const|mut|dyn|fn)\b", "", ty)
    for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", names):
        if name not in PRIMITIVES and name != "_":
            ty = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", "_", ty)
    return None if ty == "_" else ty


# ---------------------------------------------------------------------------------------------
# Inference


class Inference:
    """``items``: the tree's item index, when the caller keeps one across inferences."""

    def __init__(self, tree: tree_sitter.Tree, data: bytes, items: ItemIndex | None = None) -> None:
        self.tree = tree
        self.data = data
        self.items = items or ItemIndex(data)
        self.depth = 0

    # -- operands ------------------------------------------------------------------------------

    def operand(self, expr, as_input: bool) -> str | None:
        return self.at(expr.start, expr.text(self.data), as_input)

    def value(self, expr) -> str | None:
        """The type of an expression used as a value (a `const` operand): no input coercion."""
        node = _parse_expression(expr.text(self.data))
        scope = self.tree.root_node.descendant_for_byte_range(expr.start, expr.start)
        if node is None or scope is None:
            return None
        return _public(self.expr(node[0], node[1], scope, expr.start, fallback=True))

    def at(self, position: int, text: str, as_input: bool) -> str | None:
        node = _parse_expression(text)
        if node is None:
            return None
        scope = self.tree.root_node.descendant_for_byte_range(position, position)
        if scope is None:
            return None
        if not as_input and not self.place(node[0], node[1], scope, position):
            return None     # rustc: "invalid asm output", and no type check
        ty = self.expr(node[0], node[1], scope, position, fallback=True)
        if as_input:
            ty = _coerce_input(ty)
        return _public(ty)

    def place(self, node, src, scope, position) -> bool:
        """Whether rustc takes the expression as a place (an output must be one)."""
        while True:         # a loop, not recursion: `a.b.b.b...` may be thousands deep
            kind = node.type
            if kind == "identifier":
                name = _text(node, src)
                return self.binding(name, scope, position) is not None or \
                    self.item(name, scope, ("static_item",)) is not None
            if kind == "self" or kind == "index_expression":
                return True
            if kind == "unary_expression":
                return bool(node.children) and node.children[0].type == "*"
            if kind == "field_expression":
                node = node.child_by_field_name("value")
                if node is None:
                    return False
                continue
            if kind == "parenthesized_expression":
                inner = _named(node)
                if len(inner) != 1:
                    return False
                node = inner[0]
                continue
            return False

    # -- expressions ---------------------------------------------------------------------------

    def expr(self, node: tree_sitter.Node, src: bytes, scope: tree_sitter.Node, position: int,
             fallback: bool) -> str | None:
        """The type of ``node`` (in the text ``src``), seen from ``position`` of the file
        (``scope`` the file node there).  ``fallback``: an unsuffixed literal gets rustc's
        default type (only where nothing else can constrain it)."""
        self.depth += 1
        try:
            if self.depth > _MAX_DEPTH:
                return None
            return self._expr(node, src, scope, position, fallback)
        finally:
            self.depth -= 1

    def _expr(self, node, src, scope, position, fallback) -> str | None:
        kind = node.type
        text = _text(node, src)
        if kind == "integer_literal":
            return _int_literal(text, fallback)
        if kind == "float_literal":
            match = _FLOAT_SUFFIX.search(text)
            return match.group(1) if match else ("f64" if fallback else None)
        if kind == "boolean_literal":
            return "bool"
        if kind == "char_literal":
            return "char" if not text.startswith("b") else "u8"
        if kind in ("string_literal", "raw_string_literal"):
            return "&str" if text[:1] in ('"', "r") else None
        if kind == "unit_expression":
            return "()"
        if kind == "parenthesized_expression":
            inner = _named(node)
            return self.expr(inner[0], src, scope, position, fallback) if len(inner) == 1 else None
        if kind == "identifier":
            return self.name(text, scope, position)
        if kind == "self":
            return self.name("self", scope, position)
        if kind == "type_cast_expression":
            return self.type_node(node.child_by_field_name("type"), src, scope)
        if kind == "reference_expression":
            return self._reference(node, src, scope, position, fallback)
        if kind == "unary_expression":
            return self._unary(node, src, scope, position, fallback)
        if kind == "binary_expression":
            return self._binary(node, src, scope, position, fallback)
        if kind == "field_expression":
            return self._field(node, src, scope, position)
        if kind == "call_expression":
            return self._method(node, src, scope, position)
        if kind == "array_expression":
            return self._array(node, src, scope, position, fallback)
        if kind == "tuple_expression":
            items = [self.expr(child, src, scope, position, fallback) for child in _named(node)]
            if any(item is None for item in items):
                return None
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        return None

    def _reference(self, node, src, scope, position, fallback) -> str | None:
        mutable = any(child.type == "mutable_specifier" for child in node.children)
        inner = node.child_by_field_name("value") or (_named(node)[-1] if _named(node) else None)
        if inner is None:
            return None
        prefix = "&mut " if mutable else "&"
        ty = self.expr(inner, src, scope, position, fallback)
        if ty is not None and ty != _FN_ITEM:
            return prefix + ty
        # Every named value (local, parameter, static, const, function item) is sized.
        if inner.type in ("identifier", "scoped_identifier", "self"):
            return prefix + "_"
        return None

    def _unary(self, node, src, scope, position, fallback) -> str | None:
        operator = node.children[0].type if node.children else ""
        operand = _named(node)
        if not operand:
            return None
        ty = self.expr(operand[-1], src, scope, position, fallback)
        if ty is None:
            return None
        if operator == "-":
            return ty if ty in INTEGERS or ty in FLOATS else None
        if operator == "!":
            return ty if ty in INTEGERS or ty == "bool" else None
        if operator == "*":
            for prefix in ("&mut ", "&", "*const ", "*mut "):
                if ty.startswith(prefix):
                    inner = ty[len(prefix):]
                    return None if inner == "_" else inner
        return None

    def _binary(self, node, src, scope, position, fallback) -> str | None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        operator = node.child_by_field_name("operator")
        if left is None or right is None or operator is None:
            return None
        op = _text(operator, src)
        if op in _COMPARISON:
            return "bool"
        numeric = INTEGERS + FLOATS
        if op in ("<<", ">>"):
            ty = self.expr(left, src, scope, position, fallback)
            return ty if ty in INTEGERS else None
        if op not in _ARITHMETIC:
            return None
        a = self.expr(left, src, scope, position, False)
        b = self.expr(right, src, scope, position, False)
        if a is not None and b is not None:
            return a if a == b and (a in numeric or (a == "bool" and op in "&|^")) else None
        # An unsuffixed literal takes the other side's type.
        for known, other in ((a, right), (b, left)):
            if known in numeric and other.type in ("integer_literal", "float_literal"):
                literal = "float" if other.type == "float_literal" else "int"
                if (literal == "int") == (known in INTEGERS):
                    return known
        if fallback and a is None and b is None:
            a = self.expr(left, src, scope, position, True)
            b = self.expr(right, src, scope, position, True)
            plain = left.type in ("integer_literal", "float_literal") and right.type in ("integer_literal", "float_literal")
            return a if plain and a == b else None
        return None

    def _field(self, node, src, scope, position) -> str | None:
        value = node.child_by_field_name("value")
        field = node.child_by_field_name("field")
        if value is None or field is None:
            return None
        ty = self.expr(value, src, scope, position, False)
        if ty is None:
            return None
        while ty.startswith("&"):
            ty = ty[5:] if ty.startswith("&mut ") else ty[1:]
        name = _text(field, src)
        if ty.startswith("(") and name.isdigit():
            items = _split_tuple(ty)
            index = int(name)
            return items[index] if items is not None and index < len(items) else None
        return self.struct_field(ty, name, scope)

    def _method(self, node, src, scope, position) -> str | None:
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or function.type != "field_expression" or arguments is None or _named(arguments):
            return None
        method = _text(function.child_by_field_name("field"), src)
        if method not in ("as_ptr", "as_mut_ptr"):
            return None
        receiver = self.expr(function.child_by_field_name("value"), src, scope, position, False)
        if receiver is None:
            return None
        while receiver.startswith("&"):
            receiver = receiver[5:] if receiver.startswith("&mut ") else receiver[1:]
        pointer = "*const " if method == "as_ptr" else "*mut "
        if receiver == "str":
            return pointer + "u8"
        if receiver.startswith("[") and receiver.endswith("]"):
            inner = receiver[1:-1]
            element = inner.rsplit(";", 1)[0].strip() if ";" in _top_level(inner) else inner
            return pointer + element
        return None

    def _array(self, node, src, scope, position, fallback) -> str | None:
        children = _named(node)
        if any(child.type == ";" for child in node.children):
            # [value; length]
            if len(children) != 2 or children[1].type != "integer_literal":
                return None
            element = self.expr(children[0], src, scope, position, fallback)
            length = _int_value(_text(children[1], src))
            return None if element is None or length is None else f"[{element}; {length}]"
        if not children:
            return None
        types = [self.expr(child, src, scope, position, False) for child in children]
        known = set(types) - {None}
        unsuffixed = [child for child, ty in zip(children, types) if ty is None]
        if not all(child.type in ("integer_literal", "float_literal") for child in unsuffixed):
            return None
        if not known:
            if not fallback:
                return None
            known = {self.expr(child, src, scope, position, True) for child in children}
        if len(known) != 1:
            return None
        element = known.pop()
        for child in unsuffixed:
            if (child.type == "integer_literal") != (element in INTEGERS):
                return None
        return f"[{element}; {len(children)}]"

    # -- names -----------------------------------------------------------------------------------

    def name(self, name: str, scope: tree_sitter.Node, position: int) -> str | None:
        """The type of the value ``name`` refers to at ``position``."""
        found = self.binding(name, scope, position)
        if found is not None:
            return found[1]
        item = self.item(name, scope, ("const_item", "static_item", "function_item"))
        if item is None:
            return None
        if item.type == "function_item":
            return _FN_ITEM
        return self.type_node(item.child_by_field_name("type"), self.data, item)

    def binding(self, name: str, scope: tree_sitter.Node, position: int) -> tuple[bool, str | None] | None:
        """(found, type) for a local binding of ``name`` visible at ``position``; None when
        there is none (the name may then be an item)."""
        node = scope
        while node is not None:
            kind = node.type
            if kind == "block":
                for statement in reversed(node.named_children):
                    if statement.end_byte > position or statement.type != "let_declaration":
                        continue
                    pattern = statement.child_by_field_name("pattern")
                    if pattern is None or not _binds(pattern, name, self.data):
                        continue
                    if pattern.type != "identifier":
                        return True, None
                    annotation = statement.child_by_field_name("type")
                    if annotation is not None:
                        return True, self.type_node(annotation, self.data, statement)
                    value = statement.child_by_field_name("value")
                    if value is None or statement.child_by_field_name("alternative") is not None:
                        return True, None
                    # An unsuffixed literal falls back to i32/f64 when nothing else constrains it:
                    # certain when the binding is only ever used whole as an asm operand.
                    fallback = _only_asm_operand_uses(node, statement, name, self.data)
                    return True, self.expr(value, self.data, statement, statement.start_byte, fallback)
            elif kind in ("function_item", "closure_expression"):
                parameters = node.child_by_field_name("parameters")
                for parameter in parameters.named_children if parameters is not None else []:
                    if parameter.type == "self_parameter":
                        if name == "self":
                            return True, self._self_type(parameter, node)
                        continue
                    pattern = parameter.child_by_field_name("pattern") if parameter.type == "parameter" else parameter
                    if pattern is None or not _binds(pattern, name, self.data):
                        continue
                    if pattern.type != "identifier" or parameter.type != "parameter":
                        return True, None
                    return True, self.type_node(parameter.child_by_field_name("type"), self.data, parameter)
                if kind == "function_item":
                    return None
            elif kind in ("match_arm", "for_expression"):
                pattern = node.child_by_field_name("pattern")
                if pattern is not None and _binds(pattern, name, self.data) and pattern.end_byte <= position:
                    return True, None
            elif kind in ("if_expression", "while_expression"):
                condition = node.child_by_field_name("condition")
                if condition is not None and condition.end_byte <= position and any(
                        _binds(pattern, name, self.data) for pattern in _let_patterns(condition)):
                    return True, None
            elif kind in ("impl_item", "trait_item", "mod_item", "const_item", "static_item", "source_file"):
                return None
            node = node.parent
        return None

    def _self_type(self, parameter: tree_sitter.Node, function: tree_sitter.Node) -> str | None:
        """``self``, ``&self``, ``&mut self`` in a non-generic ``impl Type``/``impl Trait for Type``."""
        if parameter.child_by_field_name("type") is not None:
            return None
        impl = function.parent.parent if function.parent is not None else None
        if impl is None or impl.type != "impl_item" or impl.child_by_field_name("type_parameters") is not None:
            return None
        own = impl.child_by_field_name("type")
        if own is None or own.type != "type_identifier":
            return None
        ty = self.type_node(own, self.data, impl)
        if ty is None:
            return None
        if any(child.type == "&" for child in parameter.children):
            mutable = any(child.type == "mutable_specifier" for child in parameter.children)
            return ("&mut " if mutable else "&") + ty
        return ty

    def item(self, name: str, scope: tree_sitter.Node, kinds: tuple[str, ...]) -> tree_sitter.Node | None:
        """The item ``name`` (of one of ``kinds``) visible from ``scope``: items of the enclosing
        blocks, then of the enclosing module; None when absent or imported by name."""
        return self.items.item(name, scope, kinds)

    # -- types -----------------------------------------------------------------------------------

    def type_node(self, node: tree_sitter.Node | None, src: bytes, scope: tree_sitter.Node) -> str | None:
        self.depth += 1
        try:
            if node is None or self.depth > _MAX_DEPTH:
                return None
            return self._type(node, src, scope)
        finally:
            self.depth -= 1

    def _type(self, node, src, scope) -> str | None:
        kind = node.type
        text = _text(node, src)
        if kind == "primitive_type":
            return text if self.item(text, scope, ("struct_item", "enum_item", "union_item", "type_item")) is None else None
        if kind == "type_identifier":
            item = self.item(text, scope, ("struct_item", "enum_item", "union_item", "type_item"))
            if item is None or item.child_by_field_name("type_parameters") is not None:
                return None
            if item.type == "type_item":
                return self.type_node(item.child_by_field_name("type"), self.data, item)
            if item.type == "struct_item" and not self._sized_struct(item):
                return None
            return text
        if kind == "pointer_type":
            inner = self.type_node(node.child_by_field_name("type"), src, scope)
            mutable = any(child.type == "mutable_specifier" for child in node.children)
            return None if inner is None else ("*mut " if mutable else "*const ") + inner
        if kind == "reference_type":
            inner = self.type_node(node.child_by_field_name("type"), src, scope)
            mutable = any(child.type == "mutable_specifier" for child in node.children)
            return None if inner is None else ("&mut " if mutable else "&") + inner
        if kind == "array_type":
            element = self.type_node(node.child_by_field_name("element"), src, scope)
            length = node.child_by_field_name("length")
            if element is None:
                return None
            if length is None:
                return f"[{element}]"
            value = _int_value(_text(length, src)) if length.type == "integer_literal" else None
            return None if value is None else f"[{element}; {value}]"
        if kind == "tuple_type":
            items = [self.type_node(child, src, scope) for child in _named(node)]
            if any(item is None for item in items):
                return None
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        if kind == "unit_type":
            return "()"
        if kind == "never_type":
            return "!"
        if kind == "function_type":
            return "fn(_)"
        if kind == "dynamic_type":
            return "dyn _"
        return None

    def _sized_struct(self, item: tree_sitter.Node) -> bool:
        body = item.child_by_field_name("body")
        if body is None:
            return True
        fields = [child for child in body.named_children if child.type not in ("visibility_modifier", "attribute_item")]
        if not fields:
            return True
        last = fields[-1]
        ty = last.child_by_field_name("type") if last.type == "field_declaration" else last
        if ty is None:
            return False
        return ty.type in ("primitive_type", "pointer_type", "reference_type", "function_type", "unit_type") and \
            _text(ty, self.data) != "str" or (ty.type == "array_type" and ty.child_by_field_name("length") is not None)

    def struct_field(self, struct: str, field: str, scope: tree_sitter.Node) -> str | None:
        item = self.item(struct, scope, ("struct_item",))
        if item is None or item.child_by_field_name("type_parameters") is not None:
            return None
        body = item.child_by_field_name("body")
        if body is None:
            return None
        if body.type == "field_declaration_list":
            for declaration in body.named_children:
                if declaration.type != "field_declaration":
                    continue
                name = declaration.child_by_field_name("name")
                if name is not None and _text(name, self.data) == field:
                    return self.type_node(declaration.child_by_field_name("type"), self.data, item)
            return None
        if body.type == "ordered_field_declaration_list" and field.isdigit():
            types = [child for child in body.named_children if child.type not in ("visibility_modifier", "attribute_item")]
            index = int(field)
            return self.type_node(types[index], self.data, item) if index < len(types) else None
        return None


# ---------------------------------------------------------------------------------------------
# Helpers


_WRAP_BEFORE = b"fn __asm_ls_operand() { ("
_WRAP_AFTER = b"); }"


@functools.lru_cache(maxsize=2048)
def _parse_expression(text: str) -> tuple[tree_sitter.Node, bytes] | None:
    """The expression node of ``text`` (parsed on its own), or None when it does not parse.
    Operands repeat (``x``, ``ptr``, ``len``): each text is parsed once."""
    src = _WRAP_BEFORE + text.encode("utf-8") + _WRAP_AFTER
    tree = parse(src)
    if tree.root_node.has_error:
        return None
    function = tree.root_node.named_children[0]
    body = function.child_by_field_name("body")
    statements = body.named_children if body is not None else []
    if len(statements) != 1 or statements[0].type != "expression_statement":
        return None
    wrapper = statements[0].named_children[0]
    if wrapper.type != "parenthesized_expression" or len(wrapper.named_children) != 1:
        return None
    return wrapper.named_children[0], src


_ASM_MACROS = ("asm", "global_asm", "naked_asm")


def _only_asm_operand_uses(block: tree_sitter.Node, statement: tree_sitter.Node, name: str, src: bytes) -> bool:
    """Whether every later mention of ``name`` in ``block`` is a whole operand expression of
    an inline-assembly macro (`in(reg) x`, `inout(reg) x => y`), which constrains no type."""
    encoded = name.encode()
    stack = [child for child in block.named_children if child.start_byte >= statement.end_byte]
    while stack:
        node = stack.pop()
        if node.type in ("identifier", "metavariable") and src[node.start_byte:node.end_byte] == encoded:
            if not _is_asm_operand(node, src):
                return False
            continue
        stack.extend(node.children)
    return True


_REGISTER_OPERANDS = (b"in", b"out", b"lateout", b"inout", b"inlateout")


def _is_asm_operand(node: tree_sitter.Node, src: bytes) -> bool:
    tree = node.parent
    if tree is not None and tree.type == "token_tree" and tree.prev_sibling is not None \
            and src[tree.prev_sibling.start_byte:tree.prev_sibling.end_byte] in _REGISTER_OPERANDS:
        return True      # `in(foo)`: a register class named like the variable, not a use of it
    if tree is None or tree.type != "token_tree" or tree.parent is None or tree.parent.type != "macro_invocation":
        return False
    macro = tree.parent.child_by_field_name("macro")
    if macro is None or _text(macro, src).split("::")[-1] not in _ASM_MACROS:
        return False
    before, after = node.prev_sibling, node.next_sibling
    opens = before is not None and (before.type == "token_tree" or before.type == "=>")
    closes = after is None or after.type in (",", "=>", ")", "]", "}")
    return opens and closes


def _text(node: tree_sitter.Node | None, src: bytes) -> str:
    if node is None:
        return ""
    return src[node.start_byte:node.end_byte].decode("utf-8", "replace")


def _named(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    return [child for child in node.named_children if child.type not in ("line_comment", "block_comment")]


def _binds(pattern: tree_sitter.Node, name: str, src: bytes) -> bool:
    """Whether ``name`` appears as an identifier in the pattern (conservatively: a binding)."""
    return any(_text(node, src) == name for node in find_nodes(pattern, ("identifier", "self")))


def _let_patterns(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The patterns of the ``let`` conditions in an ``if``/``while`` condition."""
    conditions = find_nodes(node, ("let_condition",), ("let_condition",))
    return [pattern for condition in conditions if (pattern := condition.child_by_field_name("pattern")) is not None]


def _int_literal(text: str, fallback: bool) -> str | None:
    body = text.replace("_", "")
    hexadecimal = body[:2].lower() == "0x"
    match = _INT_SUFFIX.search(body)
    if match and (not hexadecimal or match.group(1)[0] in "iu"):
        return match.group(1)
    if not hexadecimal:
        match = _FLOAT_SUFFIX.search(body)
        if match:
            return match.group(1)       # `1f32` is a float literal
    return "i32" if fallback else None


def _int_value(text: str) -> int | None:
    body = _INT_SUFFIX.sub("", text.replace("_", "")).lower()
    bases = {"0x": 16, "0o": 8, "0b": 2}
    try:
        return int(body[2:], bases[body[:2]]) if body[:2] in bases else int(body, 10)
    except ValueError:
        return None


def _split_tuple(ty: str) -> list[str] | None:
    inner = ty[1:-1]
    items, depth, current = [], 0, []
    for char in inner:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if "".join(current).strip():
        items.append("".join(current).strip())
    return items
