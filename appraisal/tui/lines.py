"""Lines of text on Textual's line API: an update repaints only the lines that changed (a Static
repaints all of them), so the panels redrawn at every key press cost what changed, not their size."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class TextLines(ScrollView):
    """A panel of `Text` lines (wrapped to the width when `wrap`), scrolling when taller than its room."""

    DEFAULT_CSS = """
    TextLines {
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    """
    wrap = False

    def __init__(self, **kw):
        super().__init__(**kw)
        self._texts: list[Text] = []
        self._strips: list[Strip] = []
        self._width = 0

    @property
    def content(self) -> RenderableType:
        """What the panel says, as one renderable (for tests and screen readers of the code)."""
        return Text("\n").join(self._texts)

    def set_texts(self, texts: list[Text]) -> None:
        widest = max([t.cell_len for t in texts] + [1])
        if self.styles.width is not None and self.styles.width.is_auto and widest != max([t.cell_len for t in self._texts] + [1]):
            self.refresh(layout=True)  # as wide as its lines: a layout only when the widest changes
        self._texts = texts
        self._render_strips()

    def _render_strips(self) -> None:
        width = self.scrollable_content_region.width
        if not width or not self.is_mounted:
            return
        console = self.app.console
        lines: list[Text] = []
        for text in self._texts:
            if self.wrap and not text.no_wrap and (text.cell_len > width or "\n" in text.plain):
                lines.extend(text.wrap(console, width))
            else:
                lines.append(text)
        strips = [Strip(list(line.render(console, end=""))).extend_cell_length(width).crop(0, width) for line in lines]
        old = self._strips
        self._strips = strips
        if len(strips) != len(old) or width != self._width:
            self._width = width
            self.virtual_size = Size(width, len(strips))
            self.refresh()
            return
        top = round(self.scroll_offset.y)
        for k, (new, was) in enumerate(zip(strips, old)):
            if new != was and 0 <= k - top < self.size.height:
                self.refresh(Region(0, k - top, width, 1))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max([text.cell_len for text in self._texts] + [1])

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._strips) or len(self._texts))

    def on_resize(self) -> None:
        self._render_strips()

    def render_line(self, y: int) -> Strip:
        k = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if width != self._width and self._texts and width:
            # The room changed without a resize (a scrollbar came or went when the wrapped lines outgrew the
            # panel): wrap again, or each line's last cell is cut off under the scrollbar (review).
            self._render_strips()
        strip = self._strips[k] if 0 <= k < len(self._strips) else Strip.blank(width)
        return strip.apply_style(self.rich_style)
