"""underthesea: Vietnamese word segmentation and part-of-speech tags, with character offsets.

Vietnamese writes syllables apart (`doanh nghiệp`, `hợp tác xã`), so where a noun ends is a matter of
words, not spaces: underthesea's CRF tagger groups syllables into words and tags them (N noun,
Nc classifier, Nu unit of measure, V verb, E preposition, CH punctuation ...). Its tokens carry no
offsets; they are found again in the text here, so every word keeps its place for spans.
The model loads on first use (about 1 s), and only documents that need it pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from normalizers.vndates import fold_keep_length


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # as printed in the text given
    tag: str  # underthesea's POS tag
    start: int
    end: int


@lru_cache(maxsize=4096)
def tag_words(text: str) -> tuple[Word, ...]:
    """The words of `text` with their tags and offsets into `text` (empty for empty text)."""
    if not text.strip():
        return ()
    from underthesea import pos_tag

    words: list[Word] = []
    cursor = 0
    folded = fold_keep_length(text).lower()
    for token, tag in pos_tag(text):
        start: int | None = None
        end = cursor
        for syllable in token.split():
            key = fold_keep_length(syllable).lower()
            found = folded.find(key, end)
            # The tagger normalises some characters; a syllable not found where expected is skipped.
            if found < 0 or folded[end:found].strip():
                continue
            start = found if start is None else start
            end = found + len(key)
        if start is None:
            continue
        cursor = end
        words.append(Word(text[start:end], tag, start, end))
    return tuple(words)
