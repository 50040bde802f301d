"""notebooks/lecture_map.md: every lecture section 1-25 is mapped, and every cell heading it quotes
is still a heading of the chapter it names (so renaming a heading cannot silently break the map)."""

from __future__ import annotations

import re

from chapters import NOTEBOOK_DIR

MAP = NOTEBOOK_DIR / "lecture_map.md"


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def headings(chapter: str) -> str:
    """All markdown headings of chapter NN's source, one per line, spaces normalized."""
    (source,) = NOTEBOOK_DIR.glob(f"{chapter}_*.py")
    return "\n".join(normalized(line[2:]) for line in source.read_text().splitlines()
                     if re.match(r"^# #{1,3} ", line))


def section_rows() -> dict[int, list[str]]:
    """{section number: the row's cells} for the map's main table."""
    rows = {}
    for line in MAP.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if cells and cells[0].isdigit():
            rows[int(cells[0])] = cells
    return rows


def quoted_headings(row: list[str]) -> list[tuple[list[str], str]]:
    """[(chapters, heading)]: 'NN "..."' parts name their chapter; otherwise the row's chapters."""
    chapters = re.findall(r"\[(\d\d)\]", row[2])
    found = []
    for part in re.split(r";\s*", row[3]):
        named = re.match(r"(\d\d) ", part)
        for heading in re.findall(r'"([^"]+)"', part):
            found.append(([named.group(1)] if named else chapters, heading))
    return found


def test_every_lecture_section_is_mapped_to_a_chapter():
    rows = section_rows()
    assert sorted(rows) == list(range(1, 26)), "the map should have one row per lecture section, 1 to 25"
    unmapped = [n for n, row in rows.items() if not re.search(r"\[\d\d\]", row[2])]
    assert unmapped == [], f"sections {unmapped} name no chapter notebook"


def test_quoted_headings_exist_in_their_chapters():
    missing = [f"§{n}: {chapters} {heading!r}" for n, row in section_rows().items()
               for chapters, heading in quoted_headings(row)
               if not any(heading in headings(c) for c in chapters)]
    assert missing == [], "headings quoted by lecture_map.md that the chapters do not have:\n" + "\n".join(missing)
