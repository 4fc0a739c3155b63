"""moatscope's data layer: models, the TinyDB store, scoring, import and export.

Nothing in this package imports Textual; the CLI, the TUI and the tests all use it.
"""
