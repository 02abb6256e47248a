"""A drawn signature (strokes of screen points) as vector lines scaled into a box."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable

from supervision_desktop.export.pdf.styles import INK

STROKE_WIDTH = 1.1
Point = tuple[float, float]


def _points(stroke: Any) -> list[Point]:
    points: list[Point] = []
    if not isinstance(stroke, Sequence):
        return points
    for point in stroke:
        if (
            isinstance(point, Sequence)
            and len(point) == 2
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in point)
            and all(math.isfinite(c) for c in point)
        ):
            points.append((float(point[0]), float(point[1])))
    return points


def fit_strokes(strokes: Any, width: float, height: float, pad: float = 3) -> list[list[Point]]:
    """The strokes fitted (aspect kept, centred) into ``width`` × ``height`` points.

    Strokes are in screen coordinates (y grows downwards), so y is flipped for PDF.
    Points that are not pairs of finite numbers are left out.
    """
    lines = [p for p in (_points(s) for s in (strokes or [])) if p]
    if not lines:
        return []
    xs = [x for line in lines for x, _ in line]
    ys = [y for line in lines for _, y in line]
    left, top = min(xs), min(ys)
    span_x, span_y = max(xs) - left, max(ys) - top
    room_x, room_y = width - 2 * pad, height - 2 * pad
    scale = min(room_x / span_x if span_x else math.inf, room_y / span_y if span_y else math.inf)
    if not math.isfinite(scale):
        scale = 1.0
    offset_x = pad + (room_x - span_x * scale) / 2
    offset_y = pad + (room_y - span_y * scale) / 2
    return [
        [(offset_x + (x - left) * scale, height - (offset_y + (y - top) * scale)) for x, y in line]
        for line in lines
    ]


class SignatureDrawing(Flowable):
    """The strokes drawn as round-capped lines (a single point becomes a dot)."""

    def __init__(self, strokes: Any, width: float, height: float) -> None:
        super().__init__()
        self.width, self.height = width, height
        self.lines = fit_strokes(strokes, width, height)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(INK)
        canvas.setFillColor(INK)
        canvas.setLineWidth(STROKE_WIDTH)
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        for line in self.lines:
            if len(line) == 1:
                canvas.circle(*line[0], STROKE_WIDTH / 2, stroke=0, fill=1)
                continue
            path = canvas.beginPath()
            path.moveTo(*line[0])
            for point in line[1:]:
                path.lineTo(*point)
            canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()
