"""The syntax layer: finds inline-assembly macro calls in Rust source and maps every
character of them back to its exact LSP position.  It knows nothing of architectures."""
