"""Editor features over the model: pure functions from a file model and a byte offset to results in model terms."""
