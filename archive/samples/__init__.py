"""Synthetic sample corpus: realistic qiaopi scans, heritage photos, metadata and ground truth.

There are no real scans on development and CI machines, so this package draws them:
envelopes, vertical letters in a brush hand, remittance slips and replies on aged paper,
with the text drawn recorded as ground truth for the OCR benchmark.
"""

from archive.samples.corpus import CSV_COLUMNS, CorpusSummary, SampleCorpusError, generate_corpus
from archive.samples.fonts import MissingFontError
from archive.samples.ocr_pages import GroundTruthPage, generate_ocr_pages
from archive.samples.writing import TruthLine

__all__ = [
    "CSV_COLUMNS",
    "CorpusSummary",
    "GroundTruthPage",
    "MissingFontError",
    "SampleCorpusError",
    "TruthLine",
    "generate_corpus",
    "generate_ocr_pages",
]
