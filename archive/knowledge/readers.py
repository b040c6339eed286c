"""Reading catalogue values from a page's text: who, to whom, from where, where to, when, how much.

Pure functions over plain text (no database), so they are tested and benchmarked alone.
The rules follow how qiaopi are laid out: the remittance slip's labelled fields
(收款人, 匯款人, 住址, 寄自, 銀數, 日期), the envelope's address (煩至…交, …收, place and
sender before 緘), and the dates and amounts anywhere in a letter. Hand-written because
no library reads these Republic-era forms; each rule carries its own confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from search.dates import extract_dates
from search.gazetteer import Gazetteer
from search.money import extract_amounts
from search.normalise import key

FIELDS = ("sender", "recipient", "sending_place", "receiving_place", "date", "amount")
AGREEMENT_BONUS = 0.05
"""Confidence added for each further page that gives the same value."""
MAX_CONFIDENCE = 0.99
MAX_TEXT_LENGTH = 200_000
"""Longest page text read; longer text is refused (no page of a letter is that long)."""

_HONORIFICS = ("老先生", "先生", "大人", "女士", "夫人", "太太", "君")
_LABELS: dict[str, tuple[str, float]] = {
    "收款人": ("recipient", 0.9),
    "收銀人": ("recipient", 0.9),
    "匯款人": ("sender", 0.9),
    "寄款人": ("sender", 0.9),
    "住址": ("receiving_place", 0.85),
    "寄自": ("sending_place", 0.85),
}
_LABEL_RE = re.compile(rf"({'|'.join(_LABELS)})[:：\s]*([^\s:：]{{1,40}})")
_ADDRESS_RE = re.compile(r"煩至(?:廣東省?|广东省?)?\s*(\S{2,30}?)\s*(\S{0,12}?)交")
_ADDRESSEE_RE = re.compile(r"(?:^|\n)\s*(\S{2,12}?)收(?:\s|$)")
_SEALED_RE = re.compile(r"(?:^|\n)\s*(\S{3,16}?)緘")
_DATE_LABEL_RE = re.compile(r"日期[:：\s]*(\S)")
_ABROAD_RE = re.compile(r"(?:兒|儿|弟|夫|我|吾)(?:現)?在")
_HOME_COUNTRY = "china"
_REPLY_OPENINGS = ("知悉", "如見", "如见", "收閱", "收阅")


class TextTooLongError(ValueError):
    """A page text longer than any page: refused rather than scanned for minutes."""


@dataclass(frozen=True)
class Reading:
    """One suggested value, the span of text it came from, and how sure the rule is."""

    field: str
    value: dict[str, Any]
    span: tuple[int, int]
    source_text: str
    confidence: float
    notes: tuple[str, ...] = ()


def _strip_honorific(name: str) -> str:
    for honorific in _HONORIFICS:
        if name.endswith(honorific) and len(name) > len(honorific) + 1:
            return name[: -len(honorific)]
    return name


def _labelled(text: str) -> list[Reading]:
    readings = []
    for match in _LABEL_RE.finditer(text):
        target, confidence = _LABELS[match.group(1)]
        value = match.group(2)
        readings.append(Reading(target, {target: value}, match.span(2), match.group(0), confidence))
    return readings


def _envelope(text: str, gazetteer: Gazetteer) -> list[Reading]:
    readings = []
    for match in _ADDRESS_RE.finditer(text):
        place = match.group(1) + match.group(2)
        readings.append(
            Reading(
                "receiving_place", {"receiving_place": place}, match.span(), match.group(0), 0.8
            )
        )
    for match in _ADDRESSEE_RE.finditer(text):
        name = _strip_honorific(match.group(1))
        readings.append(
            Reading("recipient", {"recipient": name}, match.span(1), match.group(0).strip(), 0.75)
        )
    for match in _SEALED_RE.finditer(text):
        written = match.group(1)
        place = _leading_place(written, gazetteer)
        if place is None:
            continue
        start = match.start(1)
        readings.append(
            Reading(
                "sending_place",
                {"sending_place": place},
                (start, start + len(place)),
                match.group(0).strip(),
                0.8,
            )
        )
        sender = written[len(place) :]
        if len(sender) >= 2:
            readings.append(
                Reading(
                    "sender",
                    {"sender": sender},
                    (start + len(place), match.end(1)),
                    match.group(0).strip(),
                    0.8,
                )
            )
    return readings


def _abroad(text: str, gazetteer: Gazetteer) -> list[Reading]:
    """An overseas place the writer says he is in (兒在紐約…): a weaker sending place."""
    readings = []
    for match in _ABROAD_RE.finditer(text):
        place = _leading_place(text[match.end() : match.end() + 9], gazetteer)
        if place is None or _in_china(place, gazetteer):
            continue
        span = (match.end(), match.end() + len(place))
        readings.append(
            Reading("sending_place", {"sending_place": place}, span, match.group(0) + place, 0.5)
        )
    return readings


def _in_china(name: str, gazetteer: Gazetteer) -> bool:
    for place in gazetteer.lookup(name):
        current: str | None = place.id
        while current is not None:
            if current == _HOME_COUNTRY:
                return True
            current = gazetteer.places[current].parent
    return False


def _leading_place(written: str, gazetteer: Gazetteer) -> str | None:
    for length in range(min(len(written) - 1, 8), 1, -1):
        if gazetteer.lookup(written[:length]):
            return written[:length]
    return None


def _trimmed(text: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]]:
    written = text[span[0] : span[1]]
    start = span[0] + len(written) - len(written.lstrip())
    end = span[1] - len(written) + len(written.rstrip())
    return text[start:end], (start, end)


def _is_reply(text: str) -> bool:
    first = text.strip().split("\n", 1)[0]
    return first.endswith(_REPLY_OPENINGS) or "回批" in first


def _dates(text: str) -> list[Reading]:
    readings = []
    labelled = {m.start(1) for m in _DATE_LABEL_RE.finditer(text)}
    reply = _is_reply(text)
    for found in extract_dates(text):
        written, span = _trimmed(text, found.span)
        confidence = 0.9 if span[0] in labelled else 0.7
        notes: tuple[str, ...] = ()
        if reply:
            confidence, notes = 0.3, ("the date of the family's reply (回批), not of the letter",)
        if found.parsed is None:
            value: dict[str, Any] = {"date_text": written}
            notes = (*notes, found.error or "")
            readings.append(Reading("date", value, span, written, confidence - 0.1, notes))
            continue
        parsed = found.parsed
        value = {
            "date_text": written,
            "date_start": parsed.start.isoformat(),
            "date_end": parsed.end.isoformat(),
            "date_certainty": parsed.certainty,
        }
        if parsed.certainty != "exact":
            confidence -= 0.1
        notes = (*notes, *parsed.notes)
        readings.append(Reading("date", value, span, written, confidence, notes))
    return readings


def _amounts(text: str) -> list[Reading]:
    readings = []
    for found in extract_amounts(text):
        if found.parsed is None:
            continue
        parsed = found.parsed
        written, span = _trimmed(text, found.span)
        value = {
            "amount_text": written,
            "amount_value": str(parsed.amount),
            "currency_text": parsed.currency_written or "",
            "currency_code": parsed.currency or "",
        }
        confidence = 0.75 if parsed.currency else 0.4
        readings.append(Reading("amount", value, span, written, confidence, parsed.notes))
    return readings


def read_page(text: str, gazetteer: Gazetteer) -> list[Reading]:
    """Every value the rules read from one page's text, with spans into `text`."""
    if len(text) > MAX_TEXT_LENGTH:
        raise TextTooLongError(
            f"page text is {len(text)} characters (at most {MAX_TEXT_LENGTH}); "
            "this is not one page: split it or correct the transcription"
        )
    return [
        *_labelled(text),
        *_envelope(text, gazetteer),
        *_abroad(text, gazetteer),
        *_dates(text),
        *_amounts(text),
    ]


def value_key(reading: Reading) -> str:
    """What makes two readings the same suggestion (folded main value of the field)."""
    main = {
        "date": "date_text",
        "amount": "amount_value",
    }.get(reading.field, reading.field)
    extra = reading.value.get("currency_code", "") if reading.field == "amount" else ""
    return f"{reading.field}:{key(str(reading.value.get(main, '')))}:{extra}"


def combine(readings: list[tuple[int, Reading]]) -> list[tuple[int, Reading, float]]:
    """Merge readings of the same value from several pages: (page, best reading, confidence).

    Each further page that gives the same value adds a little confidence, so a name on
    both the envelope and the slip outranks a name read once.
    """
    groups: dict[str, list[tuple[int, Reading]]] = {}
    for page_id, reading in readings:
        groups.setdefault(value_key(reading), []).append((page_id, reading))
    combined = []
    for group in groups.values():
        page_id, best = max(group, key=lambda found: found[1].confidence)
        bonus = AGREEMENT_BONUS * (len({p for p, _ in group}) - 1)
        combined.append((page_id, best, min(MAX_CONFIDENCE, best.confidence + bonus)))
    return combined


def best_per_field(combined: list[tuple[int, Reading, float]]) -> dict[str, Reading]:
    """The most confident reading of each field."""
    best: dict[str, tuple[Reading, float]] = {}
    for _page, reading, confidence in combined:
        held = best.get(reading.field)
        if held is None or confidence > held[1]:
            best[reading.field] = (reading, confidence)
    return {name: reading for name, (reading, _) in best.items()}
