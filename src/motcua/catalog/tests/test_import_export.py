"""import_procedures / export_procedures and the file formats of catalog/io.py."""

import csv
import json
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from motcua.catalog import io, services
from motcua.catalog.models import LegalDocument, Procedure
from motcua.catalog.tests.factories import found_by, make_agency, make_procedure, make_sector

pytestmark = pytest.mark.django_db

FORMATS = ["json", "csv", "xlsx"]


def run(command, *args):
    """Run a command in English; return (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(command, *args) -> str:
    """Run a command that must fail; return everything it said."""
    out, err = StringIO(), StringIO()
    with translation.override("en"), pytest.raises(CommandError) as failure:
        call_command(command, *args, stdout=out, stderr=err)
    return err.getvalue() + str(failure.value)


def all_records() -> list[dict]:
    return [services.procedure_to_record(p) for p in services.export_queryset().order_by("code")]


@pytest.fixture
def sector():
    return make_sector(code="HT", slug="ho-tich", name="Hộ tịch")


@pytest.fixture
def agency():
    return make_agency(code="000.11.22.H26", slug="ubnd-xa", name="UBND xã Đông Hải")


@pytest.fixture
def catalogue(sector, agency):
    template = default_storage.save("catalog/forms/1.001193/01.docx", ContentFile(b"docx"))
    make_procedure(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        sector=sector,
        agencies=[agency],
        authority_level="commune",
        implementing_body="UBND cấp xã",
        online_level=4,
        effective_from="2025-07-01",
        cutoff_time="15:00",
        popularity=120,
        # Text that a spreadsheet would take for a formula or a number must come back as text.
        requirements="- Người đi đăng ký phải xuất trình giấy tờ tùy thân;\n- Có giấy chứng sinh.",
        result_type="=Giấy khai sinh (bản chính)",
        notes="Ghi chú: “ngoặc kép”, dấu phẩy, xuống dòng\nvà tab\t.",
        applicant_types=["citizen", "foreigner"],
        steps=[
            {"title": "Nộp hồ sơ", "description": "Tại Bộ phận một cửa UBND xã"},
            {"title": "Trả kết quả", "description": ""},
        ],
        methods=[
            {"channel": "in_person", "processing_time": "1", "time_unit": "working_day", "description": ""},
            {"channel": "online", "processing_time": "0.5", "time_unit": "day", "description": "Nửa ngày"},
        ],
        fees=[
            {"channel": "", "name": "Lệ phí", "amount": 0, "description": "Miễn lệ phí"},
            {"channel": "postal", "name": "Cước bưu chính", "amount": None, "description": "Theo bảng giá"},
        ],
        components=[
            {
                "name": "Tờ khai đăng ký khai sinh",
                "originals": 1,
                "certified_copies": 0,
                "photocopies": 0,
                "is_required": True,
                "form_name": "Mẫu TK-KS",
                "form_template": template,
                "note": "",
            },
            {
                "name": "Giấy chứng sinh",
                "originals": 1,
                "certified_copies": 1,
                "photocopies": 2,
                "is_required": False,
                "form_name": "",
                "form_template": "",
                "note": "Nếu có",
            },
        ],
        legal_basis=[
            {
                "number": "60/2014/QH13",
                "kind": "law",
                "title": "Luật Hộ tịch",
                "issuer": "Quốc hội",
                "issued_on": "2014-11-20",
            },
            {"number": "123/2015/NĐ-CP", "kind": "decree", "title": "", "issuer": "", "issued_on": None},
        ],
    )
    make_procedure(
        code="2.000100", name="Thủ tục đăng ký khai tử", sector=sector, is_active=False, methods=[]
    )
    return all_records()


def empty_the_catalogue():
    """What an empty catalogue has: agencies and sectors, no procedures or legal documents."""
    Procedure.objects.all().delete()
    LegalDocument.objects.all().delete()


# --- round trips ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_then_import_into_an_empty_catalogue_gives_the_same_records(catalogue, tmp_path, fmt):
    path = tmp_path / f"thu-tuc.{fmt}"
    out, _err = run("export_procedures", str(path))
    assert "Exported 2 procedures" in out

    empty_the_catalogue()
    out, err = run("import_procedures", str(path))
    assert err == ""
    assert "2 created, 0 updated" in out
    assert all_records() == catalogue


@pytest.mark.parametrize("fmt", FORMATS)
def test_reading_a_row_gives_the_json_record(catalogue, tmp_path, fmt):
    path = tmp_path / f"thu-tuc.{fmt}"
    io.write_records(catalogue, path)
    # An empty cell is an absent field, which the importer reads as the same empty value.
    expected = [{k: v for k, v in r.items() if v not in ("", None, [])} for r in catalogue]
    if fmt == "json":
        expected = catalogue
    assert io.read_records(path) == expected


def test_json_is_pretty_utf8(catalogue, tmp_path):
    path = tmp_path / "thu-tuc.json"
    io.write_records(catalogue, path)
    text = path.read_text(encoding="utf-8")
    assert '"name": "Thủ tục đăng ký khai sinh"' in text
    assert text.startswith('[\n  {\n    "code": "1.001193"')
    assert json.loads(text) == catalogue


def test_csv_is_utf8_with_bom_one_column_per_field(catalogue, tmp_path):
    path = tmp_path / "thu-tuc.csv"
    io.write_records(catalogue, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Thủ tục đăng ký khai sinh".encode() in raw
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert list(rows[0]) == services.RECORD_FIELDS
    first = rows[0]
    assert first["name"] == "Thủ tục đăng ký khai sinh"
    assert first["online_level"] == "4"
    assert first["is_active"] == "true"
    assert json.loads(first["agencies"]) == ["000.11.22.H26"]
    assert json.loads(first["steps"])[0]["title"] == "Nộp hồ sơ"
    assert rows[1]["methods"] == ""  # an empty list is an empty cell
    # Text a spreadsheet would run as a formula is marked as text (and read back without the mark).
    assert first["result_type"] == "'=Giấy khai sinh (bản chính)"
    assert io.read_records(path)[0]["result_type"] == "=Giấy khai sinh (bản chính)"


def test_xlsx_has_the_same_columns_as_text_and_a_read_only_guide(catalogue, tmp_path):
    path = tmp_path / "thu-tuc.xlsx"
    io.write_records(catalogue, path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["procedures", "huong-dan"]
    sheet = workbook["procedures"]
    assert [c.value for c in sheet[1]] == services.RECORD_FIELDS
    by_field = dict(zip(services.RECORD_FIELDS, sheet[2], strict=True))
    assert by_field["name"].value == "Thủ tục đăng ký khai sinh"
    assert by_field["result_type"].value == "=Giấy khai sinh (bản chính)"
    assert by_field["result_type"].data_type == "s"  # not a formula
    guide = workbook["huong-dan"]
    assert guide.protection.sheet
    assert {row[0] for row in guide.iter_rows(values_only=True)} >= set(services.RECORD_FIELDS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_vietnamese_survives_spreadsheets(sector, tmp_path, fmt):
    name = "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân ở xã Đắk Lắk, Quảng Ngãi"
    make_procedure(
        code="1.004873", name=name, sector=sector, steps=[{"title": "Bước một: nộp hồ sơ ở Ủy ban"}]
    )
    path = tmp_path / f"thu-tuc.{fmt}"
    run("export_procedures", str(path))
    empty_the_catalogue()
    run("import_procedures", str(path))
    procedure = Procedure.objects.get(code="1.004873")
    assert procedure.name == name
    assert procedure.steps.get().title == "Bước một: nộp hồ sơ ở Ủy ban"
    assert procedure.search_name == " cap giay xac nhan tinh trang hon nhan o xa dak lak quang ngai "


def test_export_active_only(catalogue, tmp_path):
    path = tmp_path / "active.json"
    out, _err = run("export_procedures", str(path), "--active-only")
    assert "Exported 1 procedures" in out
    assert [r["code"] for r in json.loads(path.read_text(encoding="utf-8"))] == ["1.001193"]


# --- import: all or nothing -----------------------------------------------------------------------------


def write_csv(path, header, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_one_good_and_two_bad_csv_rows_import_nothing_and_every_error_is_listed(sector, tmp_path):
    path = tmp_path / "thu-tuc.csv"
    header = ["code", "name", "authority_level", "sector", "online_level", "steps"]
    write_csv(
        path,
        header,
        [
            ["1.000001", "Thủ tục tốt", "commune", "HT", "3", '[{"title": "Nộp"}]'],
            ["1.000002", "Thủ tục có JSON hỏng", "commune", "HT", "2", '[{"title": "Nộp"'],
            ["", "", "", "", "", ""],  # a blank line: skipped, still counted
            ["1.000003", "Thủ tục sai", "galaxy", "NOPE", "7", ""],
        ],
    )
    said = run_failing("import_procedures", str(path))
    assert "row 2, field steps: Not valid JSON" in said
    assert "row 4, field authority_level: 'galaxy' is not one of" in said
    assert "row 4, field sector: No sector has the code 'NOPE'." in said
    assert "row 4, field online_level: The online service level must be 1, 2, 3 or 4." in said
    assert "row 1" not in said
    assert "Nothing was imported: 4 errors" in said
    assert not Procedure.objects.exists()


def test_one_good_and_two_bad_json_records_import_nothing(sector, tmp_path):
    path = tmp_path / "thu-tuc.json"
    records = [
        {"code": "1.000001", "name": "Tốt", "authority_level": "commune", "sector": "HT"},
        {"code": "1.000001", "name": "Trùng mã", "authority_level": "commune", "sector": "HT"},
        {"code": "12345", "name": "", "authority_level": "commune", "sector": "HT", "colour": "red"},
    ]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    said = run_failing("import_procedures", str(path))
    assert "row 2, field code: The code 1.000001 is already on row 1." in said
    assert "row 3, field code: A procedure code looks like 1.001193" in said
    assert "row 3, field name: This field is required." in said
    assert "row 3, field colour: Unknown field." in said
    assert not Procedure.objects.exists()


def test_xlsx_rows_are_checked_cell_by_cell(sector, tmp_path):
    path = tmp_path / "thu-tuc.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "procedures"
    sheet.append(["code", "name", "authority_level", "sector", "fees", "effective_from"])
    sheet.append(["1.000001", "Tốt", "commune", "HT", '[{"name": "Lệ phí", "amount": 8000}]', "2025-01-01"])
    sheet.append(["1.000002", "Phí không phải JSON", "commune", "HT", "8.000 đồng", None])
    sheet.append(["1.000003", "Phí là số", "commune", "HT", 8000, None])
    workbook.save(path)
    said = run_failing("import_procedures", str(path))
    assert "row 2, field fees: Not valid JSON" in said
    assert "row 3, field fees: Expected JSON text" in said
    assert "Nothing was imported: 2 errors" in said
    assert not Procedure.objects.exists()


def test_upsert_updates_and_replaces_components(catalogue, tmp_path):
    record = dict(catalogue[0])
    record.update(
        name="Thủ tục đăng ký khai sinh (sửa đổi)",
        components=[{"name": "Tờ khai mới", "originals": 2}],
    )
    path = tmp_path / "update.json"
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    out, _err = run("import_procedures", str(path))
    assert "0 created, 1 updated" in out
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.name == "Thủ tục đăng ký khai sinh (sửa đổi)"
    assert [(c.order, c.name, c.originals) for c in procedure.components.all()] == [(1, "Tờ khai mới", 2)]
    assert procedure.code in found_by("to khai moi")
    assert Procedure.objects.count() == 2


def test_dry_run_writes_nothing(catalogue, tmp_path):
    record = dict(catalogue[0], name="Đổi tên")
    new = {"code": "2.000001", "name": "Thủ tục mới", "authority_level": "province", "sector": "HT"}
    path = tmp_path / "dry.json"
    path.write_text(json.dumps([record, new], ensure_ascii=False), encoding="utf-8")
    out, _err = run("import_procedures", str(path), "--dry-run")
    assert "1 to create, 1 to update; nothing was written" in out
    assert all_records() == catalogue


def test_dry_run_reports_errors_too(sector, tmp_path):
    path = tmp_path / "dry.json"
    path.write_text(json.dumps([{"code": "1.000001", "name": "X", "sector": "HT"}]), encoding="utf-8")
    said = run_failing("import_procedures", str(path), "--dry-run")
    assert "row 1, field authority_level: This field is required." in said


# --- files that cannot be read --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("thu-tuc.txt", "x", "Unknown file type '.txt'"),
        ("thu-tuc.json", "", "holds no procedures"),
        ("thu-tuc.json", "[]", "holds no procedures"),
        ("thu-tuc.json", "[{", "The file is not valid JSON"),
        ("thu-tuc.json", '{"code": "1.000001"}', "must hold a list of records"),
        ("thu-tuc.csv", "", "holds no procedures"),
        ("thu-tuc.csv", "code,name\n", "holds no procedures"),
        ("thu-tuc.csv", "code,ten\n1.000001,X\n", "Unknown column 'ten'"),
        ("thu-tuc.csv", "code,code\n1.000001,X\n", "The column 'code' appears twice"),
        ("thu-tuc.xlsx", "not a zip", "not a readable XLSX workbook"),
    ],
)
def test_unreadable_files_are_clear_errors(db, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert message in run_failing("import_procedures", str(path))


def test_a_csv_not_in_utf8_is_a_clear_error(db, tmp_path):
    path = tmp_path / "thu-tuc.csv"
    path.write_bytes("code,name\n1.000001,Đăng\n".encode("cp1258"))
    assert "not UTF-8" in run_failing("import_procedures", str(path))


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    assert "No file" in run_failing("import_procedures", str(tmp_path / "none.csv"))


def test_export_refuses_an_unknown_extension_and_leaves_no_file(catalogue, tmp_path):
    assert "Unknown file type '.pdf'" in run_failing("export_procedures", str(tmp_path / "x.pdf"))
    assert not list(tmp_path.glob("*x.pdf*"))
