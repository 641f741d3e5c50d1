"""The semantic model: inline-assembly blocks with their templates, placeholders, operands,
options and target architectures, built from the syntax layer's macro calls."""
