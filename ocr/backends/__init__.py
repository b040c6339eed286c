"""OCR engine implementations behind the ``OcrEngine`` interface (see ``ocr.registry``)."""
