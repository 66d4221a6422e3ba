"""CSV import and export of subscribers.

    fileformat   the file format both share: columns, delimiters, the formula guard
    row_checks   checking one imported row on its own, before the database
    importer     `import_csv`: every row checked, good rows inserted in batches;
                 `preview_csv`: what an import would do, by line
    updates      update mode: what a row changes of an existing subscriber
    exporter     `export_csv`: the active subscribers on a list, one row each

Export writes the active subscribers who are on a list, one row per subscriber (per set of
themes and frequency, should their lists differ in them), so export, import into a site
with the same lists, and export again gives the same rows.
"""

from subscribers.csvio.exporter import export_csv
from subscribers.csvio.importer import ImportPreview, ImportReport, import_csv, preview_csv
from subscribers.csvio.row_checks import RowError

__all__ = [
    "ImportPreview", "ImportReport", "RowError", "export_csv", "import_csv", "preview_csv",
]
