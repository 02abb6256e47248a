"""Headings stay with what they introduce, without dragging whole blocks to the next page.

reportlab's ``keepWithNext`` wraps a heading and the whole flowable after it in a
``KeepTogether``: a heading before a two-thirds-page table moves with the table and leaves
the page before it half empty. ``keep_with_next`` instead binds each run of headings
(flowables whose style says ``keepWithNext``) to the *first part* of what follows: the
headings stay where they are when the next flowable can start below them, and otherwise
all move to the next page. A heading therefore never ends a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable, KeepTogether

_MEASURE = 0xFFFFFFF  # the height reportlab offers when it only measures


def _keeps(flowable: Flowable) -> bool:
    return bool(getattr(flowable, "getKeepWithNext", lambda: False)())


def _height(flowables: Sequence[Flowable], width: float, canvas: Any) -> float:
    """Height of flowables stacked (a ``KeepTogether`` measured by its content)."""
    total = 0.0
    for index, flowable in enumerate(flowables):
        _, used = flowable.wrapOn(canvas, width, _MEASURE)
        if isinstance(flowable, KeepTogether):
            used = getattr(flowable, "_H")  # noqa: B009  # its wrap always asks to be split
        total += used + (flowable.getSpaceBefore() if index else 0) + flowable.getSpaceAfter()
    return float(total)


class HeadingGroup(Flowable):
    """Headings and the flowable they introduce; splits only after the first part of it."""

    def __init__(self, heads: Sequence[Flowable], following: Flowable) -> None:
        super().__init__()
        self.heads = list(heads)
        self.following = following
        for head in self.heads:  # reportlab must not group them again
            head.__dict__["keepWithNext"] = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The height of headings and what follows, stacked; a ``KeepTogether`` after the
        headings is never drawn here, so then more than the room (the frame splits)."""
        self.width = available_width
        self.height = _height([*self.heads, self.following], available_width, self.canv)
        if isinstance(self.following, KeepTogether) and available_height < _MEASURE:
            return available_width, max(self.height, available_height + 1)
        return available_width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.heads[0].getSpaceBefore())

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        content = [*self.heads, self.following]
        # a group inside a group is split before anything wrapped it on a canvas
        canvas = getattr(self, "canv", None)
        if _height(content, available_width, canvas) <= available_height:
            return content
        at_top = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        room = available_height - _height(self.heads, available_width, canvas) \
            - self.following.getSpaceBefore()
        parts: list[Flowable] = []
        if room > 0 and not isinstance(self.following, KeepTogether):
            parts = list(self.following.split(available_width, room))
        if parts and parts[0].wrap(available_width, room)[1] <= room:
            return [*self.heads, *parts]
        return content if at_top else []  # nothing of it fits here: all to the next page

    def draw(self) -> None:
        """All of it fits: the flowables one below the other, as a frame would put them."""
        y = self.height
        for index, flowable in enumerate([*self.heads, self.following]):
            _, used = flowable.wrapOn(self.canv, self.width, _MEASURE)
            y -= used + (flowable.getSpaceBefore() if index else 0)
            flowable.drawOn(self.canv, 0, y)
            y -= flowable.getSpaceAfter()


def keep_with_next(story: Sequence[Any]) -> list[Any]:
    """The story with each run of keep-with-next flowables bound to the one after it."""
    result: list[Any] = []
    heads: list[Flowable] = []
    for flowable in story:
        if _keeps(flowable):
            heads.append(flowable)
            continue
        result.append(HeadingGroup(heads, flowable) if heads else flowable)
        heads = []
    result.extend(heads)
    return result
