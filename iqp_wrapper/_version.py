"""The version of this package, as the User-Agent header reports it."""

# Kept in step with [project].version in pyproject.toml; tests/wrapper checks that it is.
__version__ = "0.1.0"
