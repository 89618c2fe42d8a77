"""Choosing one language from texts given in several."""

from collections.abc import Mapping

FALLBACK = "en"


def localized(texts: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text in the wanted language, else English, else the first one given, else empty."""
    if not texts:
        return ""
    for wanted in (language, FALLBACK):
        if wanted and wanted in texts:
            return texts[wanted]
    return next(iter(texts.values()))
