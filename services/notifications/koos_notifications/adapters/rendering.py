"""Mails from Jinja2 templates, one per kind and language, English when a language has none.

Templates are compiled once and never checked for changes again (`auto_reload=False`): they ship with the code.
"""

import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from koos_contracts.values import FALLBACK_LANGUAGE
from koos_notifications.adapters.formats import FILTERS, locale_of
from koos_notifications.domain.mail import RenderedText
from koos_notifications.service_layer.mailing import MailRenderer

TEMPLATES = Path(__file__).parent / "templates"
_LINK = re.compile(r"https?://\S+")


class JinjaRenderer(MailRenderer):
    """Renders `<language>/<kind>.txt` (a `subject` block and the text body) and an HTML twin of the body."""

    def __init__(self, folder: Path = TEMPLATES) -> None:
        loader = FileSystemLoader(folder)
        self._text = Environment(loader=loader, autoescape=False, undefined=StrictUndefined,
                                 trim_blocks=True, lstrip_blocks=True, auto_reload=False)
        self._text.filters.update(FILTERS)
        self._html = Environment(loader=loader, autoescape=True, undefined=StrictUndefined, auto_reload=False)

    def language_for(self, kind: str, language: str) -> str:
        return language if f"{language}/{kind}.txt" in self._available else FALLBACK_LANGUAGE

    def render(self, kind: str, language: str, context: Mapping[str, Any]) -> RenderedText:
        template = self._text.get_template(f"{language}/{kind}.txt")
        values = {**context, "language": language, "locale": locale_of(language)}
        subject = " ".join("".join(template.blocks["subject"](template.new_context(values))).split())
        text = _tidy(template.render(values))
        html = self._html.get_template("layout.html").render(
            language=language, subject=subject, paragraphs=[_paragraph(p) for p in text.split("\n\n")])
        return RenderedText(subject=subject, text=text, html=html, language=language)

    @cached_property
    def _available(self) -> frozenset[str]:
        return frozenset(self._text.list_templates(extensions=["txt"]))


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _paragraph(text: str) -> Markup:
    escaped = str(escape(text.strip()))
    linked = _LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    return Markup(linked.replace("\n", "<br>\n"))
