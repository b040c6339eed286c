"""One normaliser for index and query: folding, Han bigrams/unigrams, Latin words.

Every backend is fed the token streams made here (whitespace-joined), so the embedded
engine and Elasticsearch see exactly the same terms and a query is always analysed the
way the text it searches was.

Folding keeps a map back to the original text, so highlights are drawn on what the
letter says (traditional characters), never on the folded form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import opencc

BOUNDARY = "|"
"""Token placed between runs separated by punctuation, so no phrase matches across it."""

MAX_WORD_LENGTH = 64
"""Latin/digit words longer than this are dropped (hashes, garbage OCR), in index and query."""

Kind = Literal["han", "word"]


@dataclass(frozen=True, slots=True)
class Token:
    """A normalised term with the span [start, end) it came from in the original text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of Han characters or one Latin/digit word, folded, with original offsets."""

    kind: Kind
    chars: str
    offsets: tuple[int, ...]
    """Original index of each folded character."""
    after_break: bool
    """True when punctuation separates this segment from the previous one."""


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0003ffff"
SPACE = "\\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2060\ufeff"
"""Whitespace, control and zero-width characters: separate words, never end a Han run."""
_SEGMENT = re.compile(
    rf"(?P<han>[{HAN_RANGES}](?:[{SPACE}]*[{HAN_RANGES}])*)"
    rf"|(?P<word>(?:(?![{HAN_RANGES}])[^\W_])+)"
    rf"|(?P<space>[{SPACE}]+)"
    rf"|(?P<mark>.)",
    re.DOTALL,
)
_HAN = re.compile(f"[{HAN_RANGES}]")


def is_han(char: str) -> bool:
    """True for CJK ideographs (unified, extensions, compatibility) and the numeral 〇."""
    return _HAN.match(char) is not None


class _FoldTable(dict[int, str]):
    """A `str.translate` table of NFKC + case folding, filled as characters are first seen.

    Translating whole strings costs about half of folding them one character at a time, and
    search folds every hit's text for its highlights.
    """

    def __missing__(self, code: int) -> str:
        folded = unicodedata.normalize("NFKC", chr(code)).casefold()
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def _origins(text: str) -> list[int]:
    """For each character of `text` folded, the index of the character it came from.

    t2s keeps length, so only NFKC and case folding (one character to several) move
    characters; the table alone tells where, without converting again.
    """
    pieces = [_FOLD_TABLE[ord(char)] for char in text]
    return [index for index, piece in enumerate(pieces) for _ in piece]


def fold_origins(text: str, folded: str) -> Sequence[int] | None:
    """The origin of each character of `folded`, already known to be `text` folded
    (e.g. stored at index time), without folding again; None if `folded` cannot be that."""
    if len(folded) == len(text):
        return range(len(text))
    origins = _origins(text)
    return origins if len(origins) == len(folded) else None


def _fold_chars(text: str) -> tuple[str, list[int]]:
    """NFKC + case folding + t2s, returning the folded string and each char's origin."""
    folded = text.translate(_FOLD_TABLE)
    origins = list(range(len(text))) if len(folded) == len(text) else _origins(text)
    simplified = _converter().convert(folded)
    if len(simplified) != len(folded):
        # OpenCC's t2s keeps length for the text we know; should a phrase rule ever change
        # it, fall back to character-by-character so the offset map stays exact.
        simplified = "".join(
            converted if len(converted := _converter().convert(c)) == 1 else c for c in folded
        )
    return simplified, origins


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Folded text (see `fold`) and, for each folded character, its index in `text`."""
    return _fold_chars(text)


def fold(text: str) -> str:
    """Fold text for comparison: NFKC (full-width → half-width), 繁 → 简, case folding."""
    return _fold_chars(text)[0]


def key(text: str) -> str:
    """A compact lookup key: the folded letters, digits and Han characters only.

    "Toi-shan", "TOISHAN" and "Toi shan" share a key; so do 臺山 and 台山.
    """
    return "".join(c for c in fold(text) if c.isalnum())


def segments(text: str) -> list[Segment]:
    """Split text into Han runs and Latin/digit words.

    Whitespace (including line and page breaks) does not end a Han run, because OCR and
    vertical layouts break lines mid-sentence; punctuation and symbols do.
    """
    folded, origins = _fold_chars(text)
    result: list[Segment] = []
    pending_break = False
    for match in _SEGMENT.finditer(folded):
        kind = match.lastgroup
        if kind == "space":
            continue
        if kind == "mark":
            pending_break = True
            continue
        chars = match.group()
        start, end = match.span()
        if kind == "word" and len(chars) > MAX_WORD_LENGTH:
            continue
        if kind == "han" and not chars.isalnum():
            positions = [i for i in range(start, end) if is_han(folded[i])]
            chars = "".join(folded[i] for i in positions)
            offsets = tuple(origins[i] for i in positions)
        else:
            offsets = tuple(origins[start:end])
        result.append(
            Segment(
                "han" if kind == "han" else "word", chars, offsets, pending_break and bool(result)
            )
        )
        pending_break = False
    return result


def analyse(text: str) -> tuple[list[Token], list[Token]]:
    """Both token streams of a text, from one pass of folding and segmentation.

    The bigram (phrase) stream: Han bigrams (a lone Han character as itself), Latin/digit
    words, and a boundary token wherever punctuation separates runs. The unigram stream:
    every Han character on its own (for 1-character queries).
    """
    bigrams: list[Token] = []
    unigrams: list[Token] = []
    for segment in segments(text):
        chars, offsets = segment.chars, segment.offsets
        if segment.after_break and bigrams:
            bigrams.append(Token(BOUNDARY, offsets[0], offsets[0]))
        if segment.kind == "word":
            bigrams.append(Token(chars, offsets[0], offsets[-1] + 1))
            continue
        unigrams.extend(Token(c, o, o + 1) for c, o in zip(chars, offsets, strict=True))
        if len(chars) == 1:
            bigrams.append(unigrams[-1])
        bigrams.extend(
            Token(chars[i : i + 2], offsets[i], offsets[i + 1] + 1) for i in range(len(chars) - 1)
        )
    return bigrams, unigrams


def bigram_tokens(text: str) -> list[Token]:
    """The phrase stream of a text (see `analyse`)."""
    return analyse(text)[0]


def unigram_tokens(text: str) -> list[Token]:
    """The single-character stream of a text (see `analyse`)."""
    return analyse(text)[1]


def stream(tokens: list[Token]) -> str:
    """Join tokens for a whitespace tokenizer (tantivy `whitespace`, ES `whitespace`)."""
    return " ".join(token.text for token in tokens)
