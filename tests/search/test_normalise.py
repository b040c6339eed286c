"""The normaliser: folding, Han bigrams and unigrams, boundaries, offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from search.normalise import BOUNDARY, bigram_tokens, fold, key, stream, unigram_tokens


def test_fold_traditional_width_and_case() -> None:
    assert fold("臺山縣") == fold("台山县") == "台山县"
    assert fold("ＴＯＩＳＨＡＮ　１９３２") == "toishan 1932"
    assert key("Toi-Shan") == key("TOISHAN") == "toishan"


def test_han_runs_become_bigrams_and_unigrams() -> None:
    assert stream(bigram_tokens("新寧縣")) == "新宁 宁县"
    assert stream(unigram_tokens("新寧縣")) == "新 宁 县"
    assert stream(bigram_tokens("寄")) == "寄"


def test_punctuation_puts_a_boundary_between_runs() -> None:
    assert stream(bigram_tokens("台山。開平")) == f"台山 {BOUNDARY} 开平"
    assert stream(bigram_tokens("台山開平")) == "台山 山开 开平"


def test_whitespace_and_line_breaks_do_not_split_han_runs() -> None:
    assert stream(bigram_tokens("台 山\n開平")) == "台山 山开 开平"


def test_latin_words_stay_words() -> None:
    assert stream(bigram_tokens("Mr. Wong, San Francisco 1932")) == (
        f"mr {BOUNDARY} wong {BOUNDARY} san francisco 1932"
    )


def test_control_characters_are_whitespace() -> None:
    assert stream(bigram_tokens("台\x00山\x1b")) == "台山"


def test_overlong_words_are_dropped() -> None:
    assert stream(bigram_tokens("a" * 65 + " ok")) == "ok"


def test_offsets_point_at_the_original_text() -> None:
    text = "ＡＢ臺山，新寧"
    tokens = bigram_tokens(text)
    assert [(t.text, text[t.start : t.end]) for t in tokens] == [
        ("ab", "ＡＢ"),
        ("台山", "臺山"),
        (BOUNDARY, ""),
        ("新宁", "新寧"),
    ]


@given(st.text(alphabet=st.sampled_from("臺山新寧縣台ＡbC ，。\n\x00ﬁß㍻1"), max_size=40))
def test_every_token_spans_the_text_it_came_from(text: str) -> None:
    for token in bigram_tokens(text) + unigram_tokens(text):
        if token.text == BOUNDARY:
            continue
        assert 0 <= token.start < token.end <= len(text)
        assert token.text in key(text[token.start : token.end])
