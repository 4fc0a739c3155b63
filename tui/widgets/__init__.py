"""Widgets grouped by what the user sees."""
