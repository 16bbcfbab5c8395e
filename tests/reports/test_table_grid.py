"""Table.grid: every renderer places a row's cells on the header's columns the same way."""

from federation.reports.document import Cell, Table


def test_cells_are_placed_on_the_header_columns_with_spans_cut_and_extra_cells_dropped():
    table = Table(
        title="Plan",
        header=["Område", "Kontroll", "Metod"],
        rows=[
            ["1. Ekonomi", "Attest", "Stickprov"],
            [Cell("Grupp: Styrdokument", bold=True, colspan=3)],
            [Cell("För bred", colspan=9)],
            ["a", Cell("b", colspan=5)],
            ["a", "b", "c", "d", "e"],
            ["bara en"],
        ],
    )
    placed = [[(column, span, cell.text) for column, span, cell in row] for row in table.grid()]
    assert placed == [
        [(0, 1, "1. Ekonomi"), (1, 1, "Attest"), (2, 1, "Stickprov")],
        [(0, 3, "Grupp: Styrdokument")],
        [(0, 3, "För bred")],
        [(0, 1, "a"), (1, 2, "b")],
        [(0, 1, "a"), (1, 1, "b"), (2, 1, "c")],
        [(0, 1, "bara en")],
    ]
