"""Published text made readable for the finder, with a way back to the original offsets.

Retsinformation's texts carry soft hyphens and zero-width characters inside words
("service\u00adloven") and odd spaces (U+00A0 after ``§`` and ``stk.``). The finder reads a
copy without the invisible characters; every space kind is already ``\\s`` to the regexes, so
spaces are kept one for one. Offsets found in the copy are mapped back to the original text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# Characters that never change what a citation means; removed before reading.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")


@dataclass(frozen=True)
class CleanText:
    """``text`` without invisible characters; ``original_offset`` maps its offsets back."""

    text: str
    # Offsets in ``text`` at which removed characters sat, and how many were removed up to and
    # including each (sorted); empty when nothing was removed, the common case.
    _cuts: tuple[int, ...] = field(default=(), repr=False)
    _removed: tuple[int, ...] = field(default=(), repr=False)

    def original_offset(self, offset: int, *, end: bool = False) -> int:
        """The offset in the original text of ``offset`` in the clean text.

        A start offset skips the invisible characters before it; an end offset stays before any
        invisible characters that follow the last visible one.
        """
        if not self._cuts:
            return offset
        index = bisect.bisect_left(self._cuts, offset) if end else bisect.bisect_right(self._cuts, offset)
        return offset + (self._removed[index - 1] if index else 0)


def clean(text: str) -> CleanText:
    """Remove soft hyphens and zero-width characters, remembering where they were."""
    if _INVISIBLE_RE.search(text) is None:
        return CleanText(text)
    cuts: list[int] = []
    removed: list[int] = []
    pieces: list[str] = []
    kept = 0
    previous = 0
    count = 0
    for match in _INVISIBLE_RE.finditer(text):
        piece = text[previous:match.start()]
        pieces.append(piece)
        kept += len(piece)
        count += 1
        if cuts and cuts[-1] == kept:
            removed[-1] = count
        else:
            cuts.append(kept)
            removed.append(count)
        previous = match.end()
    pieces.append(text[previous:])
    return CleanText("".join(pieces), tuple(cuts), tuple(removed))
