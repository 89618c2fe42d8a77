"""Pages from Jinja2 templates, one environment per language, with what every page shows."""

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.support import NullTranslations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from koos_web.formats import Formats
from koos_web.i18n import FALLBACK, LANGUAGES, NAMES, negotiate
from koos_web.sessions import session_of

TEMPLATES = Path(__file__).parent / "templates"


def language_of(request: Request) -> str:
    """The reader's language: asked for in the address (a switcher, a mailed link), chosen before, or the browser's."""
    session = session_of(request)
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        if session.get("lang") != asked:
            session["lang"] = asked
        return str(asked)
    chosen = session.get("lang")
    return str(chosen) if chosen in LANGUAGES else negotiate(request.headers.get("accept-language"))


def localized(texts: Mapping[str, str] | None, language: str) -> str:
    """A text in the reader's language, else English, else the first one given."""
    if not texts:
        return ""
    for wanted in (language, FALLBACK):
        if texts.get(wanted):
            return texts[wanted]
    return next(iter(texts.values()))


class Renderer:
    """Renders a template in the reader's language."""

    def __init__(self, translations: Mapping[str, NullTranslations], static_version: str = "1") -> None:
        self._environments = {lang: self._environment(translations[lang]) for lang in LANGUAGES}
        self._translations = translations
        self._static_version = static_version

    def gettext(self, language: str) -> Any:
        """The `_` of a language, for messages made in code."""
        return self._translations[language].gettext

    def page(self, request: Request, template: str, status: int = 200, headers: Mapping[str, str] | None = None,
             **context: Any) -> HTMLResponse:
        language = language_of(request)
        session = session_of(request)
        html = self._environments[language].get_template(template).render(
            **self.common(request, language), flash=session.pop("flash"), **context)
        return HTMLResponse(html, status_code=status, headers=dict(headers or {}))

    def common(self, request: Request, language: str) -> dict[str, Any]:
        session = session_of(request)
        others = {k: v for k, v in request.query_params.items() if k not in ("lang", "token")}
        return {
            "lang": language, "languages": LANGUAGES, "language_names": NAMES, "f": Formats(language),
            "csrf": session.csrf, "staff": session.get("staff"), "path": request.url.path,
            "organiser": (session.get("staff") or {}).get("role") == "organiser",
            "switch": {lang: f"{request.url.path}?{urlencode({**others, 'lang': lang})}" for lang in LANGUAGES},
            "local": lambda texts: localized(texts, language), "static_version": self._static_version,
        }

    @staticmethod
    def _environment(translations: NullTranslations) -> Environment:
        environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                                  undefined=StrictUndefined, extensions=["jinja2.ext.i18n"], trim_blocks=True,
                                  lstrip_blocks=True)
        environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        environment.filters.update(datetime=_instant, day=_day, upper_first=lambda text: text[:1].upper() + text[1:])
        environment.globals["zone"] = ZoneInfo
        environment.policies["ext.i18n.trimmed"] = True
        return environment


def _instant(text: str | datetime) -> datetime:
    return text if isinstance(text, datetime) else datetime.fromisoformat(text)


def _day(text: str | date) -> date:
    return text if isinstance(text, date) else date.fromisoformat(text)
