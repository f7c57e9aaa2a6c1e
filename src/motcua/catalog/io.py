"""Procedure records in files: JSON, CSV (UTF-8 with BOM, for Excel) and XLSX, chosen by extension.

A record is the dict of ``services.RECORD_FIELDS``. In CSV and XLSX each procedure is one row and each
field one column, in ``RECORD_FIELDS`` order; scalar fields are plain text, list fields hold JSON text.
Reading a row gives back the dict the JSON file holds: an empty cell is an absent field, numbers and yes/no
fields get their JSON types back, JSON cells are parsed.

Rows are numbered as ``services.RecordError`` numbers them: row 1 is the first procedure (the first record
of a JSON file, the first line under the header of a spreadsheet, which the spreadsheet shows as row 2).
Blank spreadsheet rows are skipped but still counted, so a number always points at the same line.
"""

import csv
import json
import os
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import IllegalCharacterError, InvalidFileException

from motcua.core.spreadsheets import from_csv_text, text_cell, write_csv_rows

from .services import LIST_FIELDS, RECORD_FIELDS, RecordError

FORMATS = (".json", ".csv", ".xlsx")
SHEET = "procedures"
GUIDE_SHEET = "huong-dan"
INTEGER_FIELDS = {"online_level", "declared_online_level", "popularity"}
BOOLEAN_FIELDS = {"is_active", "fee_before_processing"}
# Excel refuses longer cells; better to stop than to write a file it truncates.
EXCEL_MAX_CELL = 32767


class UnreadableFile(Exception):
    """The file as a whole cannot be read (unknown format, not found, not UTF-8, empty, bad header…)."""


class CellErrors(Exception):
    """Some cells hold text that is not what their column needs (e.g. invalid JSON).

    ``errors`` lists each with its row and field; ``records`` holds the numbered rows without those cells,
    so that the caller can check the rest of the file and report every problem at once.
    """

    def __init__(self, errors: list[RecordError], records: list[tuple[int, dict]]):
        self.errors = errors
        self.records = records
        super().__init__("\n".join(str(e) for e in errors))


def file_format(path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UnreadableFile(
            _("Unknown file type '%(suffix)s': use %(formats)s.")
            % {"suffix": suffix or Path(path).name, "formats": ", ".join(FORMATS)}
        )
    return suffix


# --- reading --------------------------------------------------------------------------------------------


def read_records(path) -> list[dict]:
    """The records of a file; raises ``UnreadableFile`` or ``CellErrors``."""
    return [record for _row, record in read_numbered_records(path)]


def read_numbered_records(path) -> list[tuple[int, dict]]:
    """``(row, record)`` pairs, ``row`` as described in the module's docstring."""
    suffix = file_format(path)
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(_("No file '%(path)s'.") % {"path": path})
    if suffix == ".json":
        numbered = _read_json(path)
    else:
        header, rows = _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
        numbered = _rows_to_records(header, rows)
    if not numbered:
        raise UnreadableFile(_("The file '%(path)s' holds no procedures.") % {"path": path.name})
    return numbered


def _read_json(path: Path) -> list[tuple[int, dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(_("The file is not UTF-8 text.")) from exc
    if not text.strip():
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            _("The file is not valid JSON: %(error)s (line %(line)s, column %(column)s).")
            % {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
        ) from exc
    if not isinstance(data, list):
        raise UnreadableFile(_("A JSON file of procedures must hold a list of records."))
    return list(enumerate(data, start=1))


def _read_csv(path: Path) -> tuple[list, list[list]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            _("The file is not UTF-8 text. In Excel, save it as 'CSV UTF-8 (Comma delimited)'.")
        ) from exc
    except csv.Error as exc:
        raise UnreadableFile(_("The file is not valid CSV: %(error)s") % {"error": exc}) from exc
    rows = [[from_csv_text(cell) for cell in row] for row in rows]
    return (rows[0], rows[1:]) if rows else ([], [])


def _read_xlsx(path: Path) -> tuple[list, list[list]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise UnreadableFile(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return (rows[0], rows[1:]) if rows else ([], [])


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows_to_records(header: list, rows: list[list]) -> list[tuple[int, dict]]:
    if not rows and all(_is_blank(v) for v in header):
        return []
    columns = _columns(header)
    records, errors = [], []
    for row_number, row in enumerate(rows, start=1):
        if all(_is_blank(v) for v in row):
            continue
        record = {}
        for position, value in enumerate(row):
            name = columns.get(position)
            if name is None:
                if not _is_blank(value):
                    errors.append(RecordError(row_number, "*", _("A value lies outside the named columns.")))
                continue
            if _is_blank(value):
                continue
            try:
                record[name] = _cell_to_value(name, value)
            except ValueError as exc:
                errors.append(RecordError(row_number, name, str(exc)))
        records.append((row_number, record))
    if errors:
        raise CellErrors(errors, records)
    return records


def _columns(header: list) -> dict[int, str]:
    """Column position → record field; a header the importer does not know is refused up front."""
    columns: dict[int, str] = {}
    for position, raw in enumerate(header):
        if _is_blank(raw):
            continue
        name = str(raw).strip()
        if name not in RECORD_FIELDS:
            raise UnreadableFile(
                _("Unknown column '%(name)s'. The columns are: %(columns)s.")
                % {"name": name, "columns": ", ".join(RECORD_FIELDS)}
            )
        if name in columns.values():
            raise UnreadableFile(_("The column '%(name)s' appears twice.") % {"name": name})
        columns[position] = name
    if not columns:
        raise UnreadableFile(
            _("The first row must name the columns: %(columns)s.") % {"columns": ", ".join(RECORD_FIELDS)}
        )
    return columns


def _cell_to_value(name: str, value):
    """One non-empty cell as the JSON value of its field; ``ValueError`` says what is wrong."""
    if name in LIST_FIELDS:
        if not isinstance(value, str):
            raise ValueError(_("Expected JSON text (a list in [ ]), found %(value)s.") % {"value": value})
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(
                _("Not valid JSON: %(error)s at character %(position)s.")
                % {"error": exc.msg, "position": exc.pos + 1}
            ) from None
    if isinstance(value, datetime):  # a date cell of a spreadsheet
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if name in BOOLEAN_FIELDS:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        # Anything else stays text, for services.clean_record to report with the accepted spellings.
        return {"true": True, "false": False}.get(text, str(value).strip())
    if name in INTEGER_FIELDS:
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).strip()
        return int(text) if text.isascii() and text.lstrip("-").isdigit() else text
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if not isinstance(value, str) else value


# --- writing --------------------------------------------------------------------------------------------


def write_records(records: list[dict], path) -> None:
    """Write ``records`` in the format of ``path``'s extension; the file appears whole or not at all."""
    suffix = file_format(path)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(handle)
    try:
        if suffix == ".json":
            _write_json(records, Path(temporary))
        elif suffix == ".csv":
            _write_csv(records, Path(temporary))
        else:
            _write_xlsx(records, Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_json(records: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(records, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def _cell_text(name: str, value) -> str:
    """A record value as cell text; empty for nothing, so that reading it back leaves the field absent."""
    if name in LIST_FIELDS:
        return json.dumps(value, ensure_ascii=False) if value else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _row(record: dict) -> list[str]:
    return [_cell_text(name, record.get(name)) for name in RECORD_FIELDS]


def _write_csv(records: list[dict], path: Path) -> None:
    # The BOM makes Excel read the file as UTF-8 instead of the Windows code page.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        write_csv_rows(handle, [RECORD_FIELDS, *(_row(record) for record in records)])


def column_help() -> dict[str, str]:
    """What each column holds, for the guide sheet (in the active language)."""
    return {
        "code": _(
            "Procedure code in the national database, e.g. 1.001193 (required; updates an existing one)."
        ),
        "name": _("Name of the procedure (required)."),
        "authority_level": _("Level of authority (required): central, province, district or commune."),
        "sector": _("Sector code (required); the sector must already exist."),
        "implementing_body": _(
            "The implementing body as the national database words it, e.g. 'UBND cấp xã'."
        ),
        "online_level": _(
            "Online service level 1–4 as the portal derives it (written on export; on import it is kept "
            "as the declared level when declared_online_level is empty)."
        ),
        "declared_online_level": _("Online service level 1–4 declared in the national database."),
        "fee_before_processing": _(
            "true or false: the fee is paid when the dossier is sent, before processing (default false)."
        ),
        "is_active": _("true or false: whether the procedure is in force (default true)."),
        "effective_from": _("Date it takes effect, as YYYY-MM-DD."),
        "cutoff_time": _(
            "Cut-off hour as HH:MM, e.g. 15:00: reception later counts from the next working day."
        ),
        "popularity": _("How often it is used, a whole number; orders 'most used'."),
        "requirements": _("Requirements and conditions."),
        "result_type": _("The result of the procedure."),
        "notes": _("Notes."),
        "agencies": _('JSON: identifier codes of the implementing agencies, e.g. ["000.00.12.H26"].'),
        "applicant_types": _(
            'JSON: applicant types among citizen, business, organisation, foreigner, e.g. ["citizen"].'
        ),
        "steps": _('JSON: the steps, e.g. [{"title": "...", "description": "..."}].'),
        "methods": _(
            'JSON: the methods, e.g. [{"channel": "online", "processing_time": "3", "time_unit": '
            '"working_day", "description": ""}]; channel: in_person, online, postal; time_unit: '
            "working_day, day, working_hour."
        ),
        "fees": _(
            'JSON: fees and charges, e.g. [{"channel": "", "name": "...", "amount": 8000, '
            '"description": "", "unit_label": "bản sao", "per_unit": "", "exemptions": [{"group": '
            '"poor_household", "waive": "all"}, {"group": "student", "percent": 50}]}].'
        ),
        "components": _(
            'JSON: dossier components, e.g. [{"name": "...", "originals": 1, "certified_copies": 0, '
            '"photocopies": 0, "is_required": true, "form_name": "", "form_template": "", "note": ""}].'
        ),
        "legal_basis": _(
            'JSON: legal basis, e.g. [{"number": "60/2014/QH13", "kind": "law", "title": "...", '
            '"issuer": "...", "issued_on": "2014-11-20"}].'
        ),
    }


def guide_intro() -> list[str]:
    return [
        _("Each row of the sheet 'procedures' is one procedure; the first row names the columns: keep them."),
        _("An empty cell means no value. JSON columns must be valid JSON (double quotes)."),
        _(
            "When importing, 'row 1' in an error message is the first procedure, "
            "which the spreadsheet shows as row 2."
        ),
        _("An import is all or nothing: if any row has an error, no procedure is written."),
    ]


def _write_xlsx(records: list[dict], path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(RECORD_FIELDS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row_number, record in enumerate(records, start=2):
        for column, (name, text) in enumerate(zip(RECORD_FIELDS, _row(record), strict=True), start=1):
            if not text:
                continue
            if len(text) > EXCEL_MAX_CELL:
                raise ValueError(
                    _("Procedure %(code)s: the field %(field)s is longer than an Excel cell can hold.")
                    % {"code": record.get("code"), "field": name}
                )
            try:
                text_cell(sheet.cell(row=row_number, column=column), text)
            except IllegalCharacterError as exc:
                raise ValueError(
                    _("Procedure %(code)s: the field %(field)s holds a control character Excel cannot store.")
                    % {"code": record.get("code"), "field": name}
                ) from exc
    for column, name in enumerate(RECORD_FIELDS, start=1):
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = 40 if name in LIST_FIELDS or name == "name" else 16
        # Codes such as 1.000100 must stay text when someone types them in Excel.
        sheet.column_dimensions[letter].number_format = "@"

    guide = workbook.create_sheet(GUIDE_SHEET)
    intro, helps = guide_intro(), column_help()
    for line in intro:
        guide.append([line])
    guide.append([])
    guide.append([_("Column"), _("Meaning")])
    guide.cell(row=guide.max_row, column=1).font = Font(bold=True)
    guide.cell(row=guide.max_row, column=2).font = Font(bold=True)
    for name in RECORD_FIELDS:
        guide.append([name, helps[name]])
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 110
    for row in guide.iter_rows(min_row=len(intro) + 3):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    guide.protection.sheet = True  # read-only: the importer never reads it
    workbook.save(path)
