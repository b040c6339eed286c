"""The follow-up steps after ingest; importing this package registers them all."""

from archive.steps import derive, index, ocr

__all__ = ["derive", "index", "ocr"]
