"""The follow-up steps after ingest; importing this package registers them all."""

from archive.steps import index, ocr

__all__ = ["index", "ocr"]
