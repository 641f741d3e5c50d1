"""The machine layer: assembling templates and analysing the instructions they produce."""
