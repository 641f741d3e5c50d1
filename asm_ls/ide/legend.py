"""The semantic-token legend the server announces (a token's type is its index in ``TOKEN_TYPES``): constants
only, so that announcing it loads nothing else."""

INSTRUCTION = "keyword"
REGISTER = "variable"
PLACEHOLDER = "parameter"
LABEL = "label"
DIRECTIVE = "macro"
COMMENT = "comment"
NUMBER = "number"

TOKEN_TYPES = (INSTRUCTION, REGISTER, PLACEHOLDER, LABEL, DIRECTIVE, COMMENT, NUMBER)
DECLARATION = "declaration"
TOKEN_MODIFIERS = (DECLARATION,)
