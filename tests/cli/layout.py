"""Does any text of an HTML page overflow its box? Headless Chromium lays the page out at a
given width with the fonts installed (Debian's fonts-noto-cjk for the Chinese), a small
script measures every text element, and --dump-dom brings its findings back in the DOM.

Checked: an HTML element with text of its own whose content is wider than its box
(scrollWidth > clientWidth) or that reaches past the right edge of the window; an SVG
<text> whose box (getBBox) is not inside its <svg>'s viewBox (a label cut at the left of a
chart, a value cut at its right)."""
from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from screenshot import chromium_run

CHECK = r"""
<script>
(function () {
  const found = [];
  const name = (el) => (el.closest('[id]') ? '#' + el.closest('[id]').id + ' ' : '') +
      el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 50) + '"';
  const page = document.documentElement.clientWidth;
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || el.tagName === 'SCRIPT' || el.id === 'layout-findings') continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    if (style.display !== 'inline' && el.scrollWidth > el.clientWidth + 1)
      found.push('overflows its box: ' + name(el) + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
    const r = el.getBoundingClientRect();
    if (r.right > page + 1)
      found.push('past the window: ' + name(el) + ' right edge ' + Math.round(r.right) + ' > ' + page);
  }
  for (const t of document.querySelectorAll('svg text')) {
    const vb = t.ownerSVGElement.viewBox.baseVal;
    const b = t.getBBox();
    if (b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 ||
        b.y < vb.y - 0.5 || b.y + b.height > vb.y + vb.height + 0.5)
      found.push('outside its chart: ' + name(t) + ' box x ' + b.x.toFixed(1) + '..' +
                 (b.x + b.width).toFixed(1) + ', viewBox 0..' + vb.width);
  }
  const out = document.createElement('pre');
  out.id = 'layout-findings';
  out.textContent = JSON.stringify({found: found, height: document.documentElement.scrollHeight});
  document.body.appendChild(out);
})();
</script>
"""


def text_overflows(html: str, width: int = 1280) -> tuple[list[str], int]:
    """(every overflow found, the page's height in CSS pixels) at `width` pixels."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html.replace("</body>", CHECK + "</body>"), encoding="utf-8")
        r = chromium_run(page, "--dump-dom", size=f"{width},1000")
    dom = r.stdout.decode("utf-8", errors="replace")
    m = re.search(r'<pre id="layout-findings">(.*?)</pre>', dom, re.S)
    assert m, "the layout check did not run: " + r.stderr.decode(errors="replace")[-2000:]
    data = json.loads(m.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                      .replace("&quot;", '"'))
    return data["found"], data["height"]
