"""The pydantic models are the contract: field names of docs/CONTRACT.md, and `vnplan schema`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.model.contract import PlanDocument, Span

CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "CONTRACT.md"
# The contract as the project's owner publishes it, beside the checkout where one is (CI has it).
PUBLISHED_CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "CONTRACT.md"


def _contract_fields() -> dict[str, list[str]]:
    """Record name → field names, read from the contract's PlanDocument block."""
    block = CONTRACT.read_text("utf-8").split("```")[1]
    block = re.sub(r"#[^\n]*", "", block)  # comments
    fields: dict[str, list[str]] = {}
    for m in re.finditer(r"(\w+)(?:\[\])?\s+\{([^}]*)\}", block):
        parts = [f.strip() for f in m.group(2).replace("\n", " ").split(",")]
        fields[m.group(1)] = [re.match(r"\w+", f).group(0) for f in parts if re.match(r"\w+\s*(:|\[|$)", f)]
    return fields


@pytest.mark.skipif(not PUBLISHED_CONTRACT.exists(), reason="no published contract beside the checkout")
def test_repository_copy_of_the_contract_is_the_published_one() -> None:
    assert CONTRACT.read_text("utf-8") == PUBLISHED_CONTRACT.read_text("utf-8"), (
        "docs/CONTRACT.md differs from ../shared/CONTRACT.md: copy the published contract in"
    )


def test_models_carry_every_contract_field() -> None:
    schema = PlanDocument.model_json_schema()
    defs = schema["$defs"]
    names = {
        "source": "Source",
        "pipeline": "PipelineInfo",
        "metadata": "Metadata",
        "legal_basis": "LegalBasis",
        "budgets": "Budget",
        "targets": "Target",
        "tasks": "Task",
        "agencies": "Agency",
        "warnings": "Warning",
        "Deadline": "Deadline",
        "Span": "Span",
    }
    contract = _contract_fields()
    assert set(names) <= set(contract), contract.keys()
    for key, model in names.items():
        assert set(contract[key]) <= set(defs[model]["properties"]), (key, contract[key])
    top = [
        "schema_version",
        "doc_id",
        "source",
        "pipeline",
        "metadata",
        "legal_basis",
        "budgets",
        "targets",
        "tasks",
        "agencies",
        "warnings",
    ]
    assert list(schema["properties"]) == top


def test_schema_command_prints_the_models_schema() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "schema"], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == PlanDocument.model_json_schema()


def test_models_reject_unknown_fields_and_bad_values() -> None:
    with pytest.raises(ValidationError):
        Span(page=0, start=0, end=1)
    with pytest.raises(ValidationError):
        Span.model_validate({"page": 1, "start": 0, "end": 1, "offset": 3})
