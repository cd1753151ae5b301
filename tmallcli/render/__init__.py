"""Renderers: Rich tables, JSON, CSV and Markdown writers; atomic file output."""
