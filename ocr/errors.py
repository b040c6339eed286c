"""The one exception type of the OCR library."""


class OcrError(Exception):
    """Recognition could not be done; the message says what was wrong and what to do."""
