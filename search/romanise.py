"""Romanised names: a scholar typing Wong, Chan, Huang, Kwong Hing or wong4 finds 黃, 陳, 廣興.

Index side, `name_reading` gives the Han characters of a name (sender, recipient, place,
remittance house) in two spellings, indexed beside the name: a Hong Kong government style
Cantonese key ("Wong A Wa", from the Jyutping readings of ToJyutping) and toneless Hanyu
Pinyin ("huang ya hua", from pypinyin). Query side, `alternatives` turns a typed Latin word
into the other index spellings it may stand for: variant Hong Kong spellings and Jyutping
to the key (Chow → chau, Tse → che, gwong or gwong2 → kwong), overseas surname spellings to
their surname (Yee → yu, Szeto → si to), run-together Pinyin to its syllables (Xitang → xi
tang), toned Pinyin to toneless (huang2 → huang). Tones are accepted and not told apart:
indexing toned Jyutping too made the name part of the index half as large again and every
highlight slower, for a distinction (wong4 黃 vs wong6 旺) names rarely need.

The query side needs only `search/data/romanisation.json`, never the libraries, so searching
stays light; the libraries load once, in the process that indexes (readings are stored in
the document, `IndexDocument.readings`).

Precision: a romanised syllable stands for many characters (Wong is 黃 and 王, Chan is 陳 and
燦), as it does for the scholars who use these spellings. Readings are added for names only,
never for the body of a letter, so "Wong" finds letters from and to a 黃 or 王, not every 往.

Hand-written conversion from Jyutping to the Hong Kong style: no maintained library offers
it (pycantonese converts to Yale only), and the convention is a short table of initials and
finals whose sources the data file cites.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from search.normalise import HAN_RANGES, key

MAX_ALTERNATIVES = 16
"""Spellings a single typed word may expand to (keeps run-together names from exploding)."""
MAX_SPLIT = 4
"""Syllables a run-together Pinyin word is split into at most."""
SCHEMES = 2
"""Spellings in a reading: the Hong Kong key and toneless Pinyin."""

_HAN_RUN = re.compile(f"[{HAN_RANGES}]+")
_TONED = re.compile(r"([a-z]+)([1-6])")


@dataclass(frozen=True, slots=True)
class Surname:
    """A surname with its readings and the spellings overseas communities wrote it in."""

    han: str
    jyutping: tuple[str, ...]
    pinyin: tuple[str, ...]
    spellings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Tables:
    """The romanisation data: Cantonese spellings, surnames and the Pinyin syllables."""

    initials: dict[str, tuple[str, ...]]
    finals: dict[str, tuple[str, ...]]
    syllables: dict[str, tuple[str, ...]]
    surnames: dict[str, Surname]
    pinyin: frozenset[str]

    def split_jyutping(self, syllable: str) -> tuple[str, str]:
        """(initial, final) of a toneless Jyutping syllable; syllabic m and ng are finals."""
        if syllable in ("m", "ng"):
            return "", syllable
        for size in (2, 1):
            initial = syllable[:size]
            if initial in self.initials and syllable[size:] in self.finals:
                return initial, syllable[size:]
        if syllable in self.finals:
            return "", syllable
        raise ValueError(f"{syllable!r} is not a Jyutping syllable")

    def hk_key(self, syllable: str) -> str:
        """The Hong Kong style key of a toneless Jyutping syllable (zoeng → cheung)."""
        initial, final = self.split_jyutping(syllable)
        return self.initials[initial][0] + self.finals[final][0]

    def hk_spellings(self, syllable: str) -> tuple[str, ...]:
        """Every spelling accepted for a toneless Jyutping syllable, the key first."""
        initial, final = self.split_jyutping(syllable)
        spelled = (a + b for a in self.initials[initial] for b in self.finals[final])
        extra = self.syllables.get(syllable, ())
        return tuple(dict.fromkeys((*spelled, syllable, *extra)))


@lru_cache(maxsize=1)
def tables() -> Tables:
    """The tables of `search/data/romanisation.json` (read once)."""
    raw = json.loads(
        resources.files("search").joinpath("data/romanisation.json").read_text("utf-8")
    )
    cantonese = raw["cantonese"]
    surnames = {
        entry["han"]: Surname(
            entry["han"],
            tuple(entry["jyutping"].split()),
            tuple(entry["pinyin"].split()),
            tuple(entry["spellings"]),
        )
        for entry in raw["surnames"]
    }
    return Tables(
        initials={k: tuple(v) for k, v in cantonese["initials"].items()},
        finals={k: tuple(v) for k, v in cantonese["finals"].items()},
        syllables={k: tuple(v) for k, v in cantonese["syllables"].items()},
        surnames=surnames,
        pinyin=frozenset(raw["pinyin_syllables"].split()),
    )


@lru_cache(maxsize=1)
def _cantonese_keys() -> dict[str, tuple[str, ...]]:
    """Typed spelling → the Hong Kong keys it may stand for, over every initial × final."""
    data = tables()
    found: dict[str, dict[str, None]] = {}
    for initial, final in itertools.product(data.initials, data.finals):
        if not initial and (final.startswith(("i", "yu")) or final in ("m", "ng")):
            continue  # Jyutping writes these with j- (ji, jyu); m and ng stand alone
        if initial and final in ("m", "ng"):
            continue
        syllable = initial + final
        for spelling in data.hk_spellings(syllable):
            found.setdefault(spelling, {})[data.hk_key(syllable)] = None
    for syllable in ("m", "ng"):
        found.setdefault(syllable, {})[syllable] = None
    return {spelling: tuple(keys) for spelling, keys in found.items()}


@lru_cache(maxsize=1)
def _surname_spellings() -> dict[str, tuple[str, ...]]:
    """Typed surname spelling (folded) → the Hong Kong key phrases of the surnames."""
    data = tables()
    found: dict[str, dict[str, None]] = {}
    for surname in data.surnames.values():
        phrase = " ".join(data.hk_key(_TONED.sub(r"\1", s)) for s in surname.jyutping)
        for spelling in surname.spellings:
            found.setdefault(key(spelling), {})[phrase] = None
    return {spelling: tuple(phrases) for spelling, phrases in found.items()}


def _pinyin_splits(word: str) -> list[str]:
    """A run-together Pinyin word as syllables ("xitang" → "xi tang"), fewest pieces first."""
    syllables = tables().pinyin
    if word in syllables or word in _cantonese_keys() or len(word) < 4:
        return []
    splits: list[list[str]] = []

    def walk(rest: str, pieces: list[str]) -> None:
        if not rest:
            splits.append(pieces)
            return
        if len(pieces) == MAX_SPLIT:
            return
        for end in range(min(6, len(rest)), 1, -1):  # one-letter pieces split too eagerly
            if rest[:end] in syllables:
                walk(rest[end:], [*pieces, rest[:end]])

    walk(word, [])
    fewest = min((len(s) for s in splits), default=0)
    return [" ".join(s) for s in splits if len(s) == fewest]


@lru_cache(maxsize=4096)
def is_romanised(word: str) -> bool:
    """True when a typed word may be a romanised name: a syllable (Hong Kong style, Jyutping
    with or without tone, Pinyin), an overseas surname spelling or run-together Pinyin."""
    folded = key(word)
    toned = _TONED.fullmatch(folded)
    plain = toned.group(1) if toned else folded
    return plain in _cantonese_keys() or plain in tables().pinyin or bool(alternatives(word))


@lru_cache(maxsize=4096)
def alternatives(word: str) -> tuple[str, ...]:
    """Other index spellings a typed word may stand for (empty when it is no romanisation).

    Each is a space-separated phrase of index words: "Chow" → ("chau",), "Szeto" →
    ("si to",), "Xitang" → ("xi tang",), "wong4" → ("wong",). The word itself is not
    repeated.
    """
    folded = key(word)
    toned = _TONED.fullmatch(folded)
    plain = toned.group(1) if toned else folded
    if not plain.isascii() or not plain.isalpha():
        return ()
    found = [
        *([plain] if toned and plain in tables().pinyin else []),
        *_cantonese_keys().get(plain, ()),
        *_surname_spellings().get(plain, ()),
        *_pinyin_splits(plain),
    ]
    return tuple(s for s in dict.fromkeys(found) if s != folded)[:MAX_ALTERNATIVES]


@lru_cache(maxsize=4096)
def phrase_alternatives(words: tuple[str, ...]) -> tuple[str, ...]:
    """Other spellings of a run of typed words, syllable by syllable ("Tse Yiu" → "che yiu")."""
    choices = [(key(word), *alternatives(word)) for word in words]
    product = 1
    for options in choices:
        product *= len(options)
    if product > MAX_ALTERNATIVES:  # many ambiguous words: each word's first respelling only
        choices = [options[:2] for options in choices]
    phrases = (" ".join(pick) for pick in itertools.product(*choices))
    original = " ".join(options[0] for options in choices)
    return tuple(p for p in dict.fromkeys(phrases) if p != original)[:MAX_ALTERNATIVES]


def _surname_at(run: str) -> Surname | None:
    surnames = tables().surnames
    return surnames.get(run[:2]) if run[:2] in surnames else surnames.get(run[:1])


def _readings(run: str, *, person: bool) -> list[tuple[str | None, str | None]]:
    """(Jyutping with tone, Pinyin) of each character of a Han run; None where unknown."""
    import ToJyutping  # type: ignore[import-untyped]  # loaded only where names are indexed
    from pypinyin import Style, lazy_pinyin

    jyutping: list[str | None] = [reading for _, reading in ToJyutping.get_jyutping_list(run)]
    pinyin: list[str | None] = [
        p.replace("ü", "u") if p.isascii() or "ü" in p else None
        for p in lazy_pinyin(run, style=Style.NORMAL, v_to_u=True)
    ]
    surname = _surname_at(run) if person else None
    if surname is not None:
        size = len(surname.han)
        jyutping[:size] = surname.jyutping
        pinyin[:size] = surname.pinyin
    if len(jyutping) != len(run) or len(pinyin) != len(run):
        return [(None, None)] * len(run)
    return list(zip(jyutping, pinyin, strict=True))


def _spelled(words: Iterable[str | None]) -> str:
    """Words joined by spaces; a character without a reading breaks the run (" · ")."""
    runs: list[list[str]] = [[]]
    for word in words:
        if word is None:
            runs.append([])
        else:
            runs[-1].append(word)
    return " · ".join(" ".join(run) for run in runs if run)


def _hk_key(data: Tables, toned: str | None) -> str | None:
    """The capitalised Hong Kong key of a toned Jyutping syllable (None if unreadable)."""
    try:
        return data.hk_key(toned[:-1]).capitalize() if toned else None
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def name_reading(name: str, *, person: bool = False) -> str:
    """The Han characters of a name in two spellings, "Wong A Wa; huang ya hua" (empty when
    the name has no Han character or no reading).

    `person` reads a leading surname as a surname (曾 zang1, 區 au1, 單 sin6).
    """
    schemes: list[list[str]] = [[] for _ in range(SCHEMES)]
    data = tables()
    for run in _HAN_RUN.findall(name):
        readings = _readings(run, person=person)
        toned = [j if j and _TONED.fullmatch(j) else None for j, _ in readings]
        hk = [_hk_key(data, j) for j in toned]
        for spellings, words in zip(schemes, (hk, [p for _, p in readings]), strict=True):
            if text := _spelled(words):
                spellings.append(text)
    return "; ".join(" · ".join(spellings) for spellings in schemes if spellings)
