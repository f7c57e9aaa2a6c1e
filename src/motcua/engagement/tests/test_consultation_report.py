"""The report of a consultation (báo cáo tổng hợp ý kiến): counts per article and for the whole draft, the
approved comments with the agency's answers, as XLSX (read back with openpyxl) and PDF (read with pypdf);
a comment that looks like a formula stays text."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.engagement import consultation_report
from motcua.engagement.services import consultations as services

from .consultation_fixtures import H, M, close, say

pytestmark = pytest.mark.django_db
RESPONSE = "Sở Xây dựng tiếp thu, sẽ rút ngắn thời hạn còn 12 ngày làm việc."


@pytest.fixture
def commented(consultation, citizen, other_citizen, people):
    moderator, handler = people[f"department.{M}"], people[f"department.{H}"]
    first = consultation.articles.get(order=1)
    kept = services.approve(say(consultation, citizen, article=first), by=moderator)
    services.respond(kept, by=handler, text=RESPONSE)
    services.reject(say(consultation, other_citizen, article=first), by=moderator, reason="Trùng lặp ý kiến")
    services.approve(
        say(consultation, other_citizen, content='=HYPERLINK("http://evil.example","bấm vào")'), by=moderator
    )
    say(consultation, citizen, author_name="Hiệp hội Nhà thầu")
    return close(consultation)


def test_the_xlsx_counts_each_article_and_lists_the_comments_with_their_answers(commented):
    book = load_workbook(io.BytesIO(consultation_report.xlsx(commented)))
    counts, comments = (list(sheet.values) for sheet in book.worksheets)
    assert counts[0] == (commented.title, None, None, None, None, None, None)
    table = counts[4:]
    assert table == [
        tuple(consultation_report.COUNT_HEADER),
        ("Toàn văn dự thảo", None, 2, 1, 0, 1, 0),
        ("Điều 1", "Phạm vi điều chỉnh", 2, 1, 1, 0, 1),
        ("Điều 2", "Thời hạn", 0, 0, 0, 0, 0),
        ("Tổng cộng", None, 4, 2, 1, 1, 1),
    ]
    body = [(row[0], row[2], row[4], row[5]) for row in comments[1:]]
    assert body == [
        ("Toàn văn dự thảo", "Phan Văn Tú", '=HYPERLINK("http://evil.example","bấm vào")', None),
        ("Điều 1", "Lê Thị Hoa", "Đề nghị rút ngắn thời hạn còn 10 ngày làm việc.", RESPONSE),
    ]
    assert book.worksheets[1]["E2"].data_type == "s"  # text, never a formula
    assert "Trùng lặp ý kiến" not in repr(counts + comments)  # the internal reason is not reported


def test_the_pdf_says_the_same_in_vietnamese(commented):
    content = consultation_report.pdf(commented)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    for expected in ("BÁO CÁO TỔNG HỢP", "Điều 1", "Lê Thị Hoa", "Sở Xây dựng tiếp thu", "Tổng cộng"):
        assert expected in text, expected
    assert "Trùng lặp ý kiến" not in text
