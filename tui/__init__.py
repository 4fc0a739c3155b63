"""moatscope's terminal interface: the Textual app and the command line."""

__version__ = "0.1.0"
"""The one place the version is written: pyproject.toml reads it from here when the package
is built, so asking for it costs nothing at start (``importlib.metadata`` costs 50-70 ms)."""
