"""Durable follow-up work after ingest (OCR, indexing, derivatives), run by workers."""
