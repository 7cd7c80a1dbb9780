"""The algorithm notice and the record of processing written to HTML and PDF (issue 17).

    figures = store.disclosure.gather(obs)               # every figure, from the store and the model
    paths = write_documents(figures, "/tmp/out", langs=("fr", "en"))

writes ``notice_fr.html``, ``notice_fr.pdf``, ``record_fr.html``,
``record_fr.pdf`` (and the English ones). The HTML is the document; the PDF is
the same HTML laid out on A4 by Qt's QTextDocument (no network, no browser).
The control's history chart is a PNG drawn by matplotlib next to them.
"""

from __future__ import annotations

import html
import os
from typing import Dict, List, Sequence

from tranquillite_plugin.core import disclosure

CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 9pt; color: #222; }
h1 { font-size: 17pt; color: #1d3557; margin-bottom: 2px; }
h2 { font-size: 11.5pt; color: #1d3557; margin-top: 14px; margin-bottom: 4px; border-bottom: 1px solid #1d3557; }
p.sub { color: #555; font-size: 9.5pt; margin-top: 0; }
p.warn { background-color: #fdecea; color: #8a1c12; font-weight: bold; padding: 4px; border: 1px solid #d9534f; }
table { border-collapse: collapse; margin-bottom: 6px; }
th { background-color: #e8eef5; text-align: left; padding: 2px 6px; font-size: 8.5pt; }
td { padding: 2px 6px; font-size: 8.5pt; border-bottom: 1px solid #ddd; }
"""


def _chart(series: Dict, path: str, lang: str) -> str:
    """The police-initiated share per sector across controls, drifting controls marked; returns the PNG path."""
    from tranquillite_plugin.report.event_sheet import quiet_matplotlib_projections

    quiet_matplotlib_projections()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.0, 2.6), dpi=110)
    ax = fig.add_subplot(111)
    x = list(range(len(series["labels"])))
    for sector, values in series["shares"].items():
        ys = [float("nan") if v is None else 100 * v for v in values]
        ax.plot(x, ys, marker="o", linewidth=1, markersize=3, label=sector)
    for i, d in enumerate(series["drifted"]):
        if d:
            ax.axvline(i, color="#d9534f", linestyle="--", linewidth=1)
    ax.set_xticks(x)
    ax.set_xticklabels(series["labels"], fontsize=7)
    ax.set_ylabel("part policière (%)" if lang == "fr" else "police share (%)", fontsize=8)
    ax.tick_params(labelsize=7)
    if len(series["shares"]) <= 20:
        ax.legend(fontsize=6, ncol=2, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    fig.savefig(path)
    return path


def to_html(blocks: Sequence[tuple], lang: str = "fr", folder: str = "", stem: str = "doc") -> str:
    """The blocks of a ``core.disclosure`` document as an HTML page (images written into ``folder``)."""
    out: List[str] = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"/>',
                      f"<title>{html.escape(blocks[0][1]) if blocks else ''}</title><style>{CSS}</style></head><body>"]
    charts = 0
    for b in blocks:
        kind = b[0]
        if kind in ("h1", "h2"):
            out.append(f"<{kind}>{html.escape(b[1])}</{kind}>")
        elif kind == "sub":
            out.append(f'<p class="sub">{html.escape(b[1])}</p>')
        elif kind == "p":
            out.append(f"<p>{html.escape(b[1])}</p>")
        elif kind == "warn":
            out.append(f'<p class="warn">⚠ {html.escape(b[1])}</p>')
        elif kind == "table":
            _, headers, rows = b
            out.append('<table cellspacing="0" cellpadding="2"><tr>' + "".join(f"<th>{html.escape(str(h))}</th>" for h in headers) + "</tr>")
            for r in rows:
                out.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>")
            out.append("</table>")
        elif kind == "chart" and folder:
            charts += 1
            name = f"{stem}_chart{charts}.png"
            _chart(b[1], os.path.join(folder, name), lang)
            out.append(f'<p><img src="{name}" width="620"/></p>')
    out.append("</body></html>")
    return "\n".join(out)


def html_to_pdf(text: str, path: str, base_folder: str = "") -> str:
    """Lays ``text`` out on A4 pages (QTextDocument) into ``path``."""
    from qgis.PyQt.QtCore import QMarginsF, QSizeF, QUrl
    from qgis.PyQt.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    writer = QPdfWriter(path)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(144)
    writer.setTitle(os.path.splitext(os.path.basename(path))[0])
    writer.setCreator("Tranquillité publique")
    doc = QTextDocument()
    if base_folder:
        doc.setBaseUrl(QUrl.fromLocalFile(os.path.abspath(base_folder) + os.sep))
    doc.setHtml(text)
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    printer = getattr(doc, "print_", None) or doc.print
    printer(writer)
    return path


def write_documents(figures: Dict, folder: str, langs: Sequence[str] = ("fr", "en"), pdf: bool = True) -> Dict[str, str]:
    """Writes the notice and the record in each language: {'notice_fr.html': path, ...}."""
    os.makedirs(folder, exist_ok=True)
    out: Dict[str, str] = {}
    for lang in langs:
        if lang not in disclosure.LANGS:
            raise ValueError(f"language '{lang}' is not one of {', '.join(disclosure.LANGS)}")
        for name, build in (("notice", disclosure.notice), ("record", disclosure.record)):
            stem = f"{name}_{lang}"
            text = to_html(build(figures, lang), lang, folder, stem)
            path = os.path.join(folder, stem + ".html")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            out[stem + ".html"] = path
            if pdf:
                out[stem + ".pdf"] = html_to_pdf(text, os.path.join(folder, stem + ".pdf"), folder)
    return out
