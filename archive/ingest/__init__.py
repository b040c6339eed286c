"""Bulk ingest: folders of scans (and a metadata CSV) become items with ordered pages."""
