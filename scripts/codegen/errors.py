"""Errors the pipeline reports as one line and a distinct exit code."""


class InputError(Exception):
    """The document given to the pipeline cannot be used (exit code 2)."""


class GenerationError(Exception):
    """The generator ran but its output is incomplete or not clean (exit code 1)."""
