"""Small reference tables for reports: STRIDE/LINDDUN per element and ISO/IEC 25010."""

from __future__ import annotations

from reqdsl.catalogs.base import read_data


def stride_linddun_table() -> list[dict[str, str]]:
    """Rows of stride_linddun_per_element.tsv: framework, category, external_entity,
    process, data_store, data_flow (`X`, empty, or a qualified `X (...)`) and
    one_line_definition."""
    return read_data("stride_linddun_per_element.tsv")


def iso25010_model() -> dict[str, dict[str, list[str]]]:
    """Edition (`"2023"`, `"2011"`) to characteristic to its sub-characteristics, in order."""
    model: dict[str, dict[str, list[str]]] = {}
    for row in read_data("iso25010_quality_model.tsv"):
        edition = model.setdefault(row["edition"], {})
        edition.setdefault(row["characteristic"], []).append(row["subcharacteristic"])
    return model
