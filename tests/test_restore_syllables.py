"""Spelling-rule syllable inventory and the tone-placement normalizer."""

from __future__ import annotations

from normalizers.restore.syllables import candidates_by_fold, fold, inventory
from normalizers.tone import normalize_tone_style


def test_spelling_rules_shape_the_inventory() -> None:
    inv = inventory()
    assert {"quốc", "nghị", "giếng", "gìn", "khuỷu", "thủy", "kế", "của", "được"} <= inv
    assert "cế" not in inv and "ki" in inv and "ka" not in inv  # c before a o u, k before e ê i
    assert "ghá" not in inv and "nghá" not in inv and "ngá" in inv  # gh / ngh only before e ê i
    assert "nge" not in inv and "nghe" in inv
    assert "học" in inv and "hoc" not in inv and "hỏc" not in inv  # -c takes sắc or nặng only
    assert "thủy" in inv and "thuỷ" not in inv  # one tone style


def test_folded_forms_map_to_their_accented_candidates() -> None:
    table = candidates_by_fold()
    assert {"số", "sở", "so", "sơ"} <= set(table["so"])
    assert set(table["quyet"]) == {"quyết", "quyệt"}
    assert all(fold(c) == key for key, cands in table.items() for c in cands)


def test_tone_style_moves_marks_and_keeps_length() -> None:
    text = "Hoà bình, thuỷ lợi, sức khoẻ; QUÝ khách, quà, hoàn thành, UỶ BAN"
    out = normalize_tone_style(text)
    assert out == "Hòa bình, thủy lợi, sức khỏe; QUÝ khách, quà, hoàn thành, ỦY BAN"
    assert len(out) == len(text)


def test_the_stored_syllable_tables_are_the_generated_ones(tmp_path, monkeypatch) -> None:
    """The inventory and fold table are stored once per machine; stored or generated, they are the same."""
    from normalizers.restore import syllables

    generated = syllables.generate_inventory()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    syllables._tables.cache_clear()
    try:
        first = syllables._tables()  # generates and stores
        assert list(tmp_path.glob("vnplan/syllables-*.marshal"))
        syllables._tables.cache_clear()
        second = syllables._tables()  # loads
    finally:
        syllables._tables.cache_clear()
    assert first[0] == second[0] == generated
    assert first[1] == second[1] == syllables.fold_table(generated)
