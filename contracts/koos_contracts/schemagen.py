"""Generate and check the JSON Schemas and the AsyncAPI 3 document: `python -m koos_contracts.schemagen write|check`."""

import json
import sys
from pathlib import Path
from typing import Any

from koos_contracts.asyncapi import asyncapi_document
from koos_contracts.base import Message
from koos_contracts.catalogue import MESSAGE_TYPES
from koos_contracts.compatibility import breaking_changes
from koos_contracts.envelope import dataschema_for
from koos_contracts.privacy import PRIVACY_FILE, inventory_problems
from koos_contracts.privacy_doc import privacy_document

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
ASYNCAPI_FILE = Path(__file__).resolve().parent.parent / "asyncapi.json"


def message_schema(message_type: type[Message]) -> dict[str, Any]:
    """The JSON Schema (2020-12) of a message's data, open to fields it does not name."""
    schema = message_type.model_json_schema(mode="serialization")
    schema["$id"] = dataschema_for(message_type)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def generated_files() -> dict[Path, dict[str, Any]]:
    """Every generated document, by the file it belongs in."""
    files: dict[Path, dict[str, Any]] = {
        SCHEMA_DIR / f"{type_name}.json": message_schema(message_type) for type_name, message_type in
        MESSAGE_TYPES.items()}
    files[ASYNCAPI_FILE] = asyncapi_document()
    return files


def problems() -> list[str]:
    """Drift between the models and the committed documents, breaking changes, and gaps in the privacy inventory."""
    return _document_problems() + privacy_problems()


def privacy_problems() -> list[str]:
    """Personal fields without an inventory entry, stale entries, and a PRIVACY.md that drifted."""
    found = inventory_problems(MESSAGE_TYPES)
    if not PRIVACY_FILE.exists() or PRIVACY_FILE.read_text() != privacy_document(MESSAGE_TYPES):
        found.append(f"{PRIVACY_FILE.name}: differs from koos_contracts.inventory")
    return found


def _document_problems() -> list[str]:
    found: list[str] = []
    for path, document in generated_files().items():
        if not path.exists():
            found.append(f"{path.name}: not generated yet")
            continue
        committed = json.loads(path.read_text())
        if path.parent == SCHEMA_DIR:
            found += [f"{path.stem}: {change}" for change in breaking_changes(committed, document)]
        if committed != document:
            found.append(f"{path.name}: differs from the models")
    return found


def write() -> list[str]:
    """Write every document, refusing a breaking change to a published version."""
    breaking = [p for p in _document_problems() if "differs" not in p and "not generated" not in p]
    if breaking:
        return breaking
    SCHEMA_DIR.mkdir(exist_ok=True)
    for path, document in generated_files().items():
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    PRIVACY_FILE.write_text(privacy_document(MESSAGE_TYPES))
    return inventory_problems(MESSAGE_TYPES)


def main(argv: list[str]) -> int:
    """Entry point: `write` regenerates; `check` fails on drift, a breaking change or an unlisted personal field."""
    action = argv[1] if len(argv) > 1 else "check"
    found = write() if action == "write" else problems()
    for line in found:
        print(f"contracts: {line}", file=sys.stderr)
    if found and action == "write":
        print("contracts: a published version must stay compatible (add a new version instead), and every personal "
              "field needs an entry in koos_contracts.inventory", file=sys.stderr)
    elif found:
        print("contracts: run `.venv/bin/python -m koos_contracts.schemagen write`", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
