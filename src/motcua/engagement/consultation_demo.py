"""Demo consultations on drafts (``manage.py load_demo``): one draft of the Department of Construction open
for comments (a few approved, one rejected, one awaiting moderation) and one closed, its comments answered
and the answers published (so that the report and the public answers show). Taken through the real
services by the demo officers (the province's moderator ``tiepnhan.ubnd-tinh``, above the department; the
department's handler ``xuly.so-xay-dung`` and leader ``lanhdao.so-xay-dung``) and the demo citizens. The
closed one is then, for the demo only, moved back in time. Loaded once: nothing is added when any
consultation exists."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Agency

from .models import Consultation, ConsultationComment, ConsultationEvent
from .services import consultations as services

AGENCY = "so-xay-dung"
MODERATOR, HANDLER, LEADER = "tiepnhan.ubnd-tinh", f"xuly.{AGENCY}", f"lanhdao.{AGENCY}"

OPEN_DRAFT = {
    "title": "Dự thảo Quyết định quy định chi tiết thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ "
    "trên địa bàn tỉnh",
    "summary": "Sở Xây dựng lấy ý kiến nhân dân, doanh nghiệp về dự thảo Quyết định của Ủy ban nhân dân tỉnh "
    "quy định chi tiết hồ sơ, thời hạn và cách nộp trực tuyến hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ.",
    "document_kind": "Quyết định của UBND tỉnh",
    "articles": (
        "Điều 1. Phạm vi điều chỉnh\nQuyết định này quy định chi tiết hồ sơ, trình tự và thời hạn cấp giấy "
        "phép xây dựng nhà ở riêng lẻ tại đô thị trên địa bàn tỉnh.\n\n"
        "Điều 2. Hồ sơ đề nghị cấp giấy phép\nHồ sơ gồm đơn đề nghị theo mẫu, bản sao giấy tờ về quyền sử "
        "dụng đất và hai bộ bản vẽ thiết kế; khi nộp trực tuyến, các giấy tờ là bản điện tử.\n\n"
        "Điều 3. Thời hạn giải quyết\nThời hạn cấp giấy phép là 15 ngày làm việc kể từ ngày nhận đủ hồ sơ "
        "hợp lệ.\n\n"
        "Điều 4. Hiệu lực thi hành\nQuyết định này có hiệu lực kể từ ngày 01 tháng 3 năm 2027."
    ),
}
CLOSED_DRAFT = {
    "title": "Dự thảo Quy chế tiếp nhận, trả kết quả hồ sơ qua dịch vụ bưu chính công ích",
    "summary": "Dự thảo quy chế phối hợp giữa bộ phận một cửa và doanh nghiệp bưu chính khi tiếp nhận hồ sơ "
    "và trả kết quả tại nhà.",
    "document_kind": "Quy chế",
    "articles": (
        "Điều 1. Đối tượng áp dụng\nQuy chế áp dụng với bộ phận một cửa các cấp và doanh nghiệp bưu chính "
        "công ích trên địa bàn tỉnh.\n\n"
        "Điều 2. Trả kết quả tại nhà\nNgười nộp hồ sơ đăng ký nhận kết quả qua bưu chính khi nộp hồ sơ; "
        "cước phí do người nộp chi trả theo bảng giá công bố."
    ),
}
# (citizen, article number or None for the whole draft, text, end: approved | rejected | pending, answer)
OPEN_COMMENTS = [
    ("congdan", 3, "Đề nghị rút ngắn thời hạn cấp giấy phép còn 10 ngày làm việc khi hồ sơ nộp trực tuyến, "
     "vì cơ quan không phải nhập lại hồ sơ.", "approved", ""),
    ("doanhnghiep", 2, "Đề nghị chỉ yêu cầu một bộ bản vẽ thiết kế khi nộp trực tuyến; bản điện tử có thể "
     "in thêm khi cần.", "approved", ""),
    ("congdan2", None, "Dự thảo rõ ràng, dễ hiểu. Đề nghị công bố kèm mẫu đơn điền sẵn trên Cổng.",
     "approved", ""),
    ("congdan2", 4, "Nhận làm giấy phép xây dựng nhanh, giá rẻ, liên hệ ngay.", "rejected", ""),
    ("congdan", 1, "Đề nghị làm rõ quy định có áp dụng với nhà ở riêng lẻ tại nông thôn hay không.",
     "pending", ""),
]  # fmt: skip
CLOSED_COMMENTS = [
    ("congdan", 2, "Đề nghị quy định rõ thời gian bưu tá giao kết quả sau khi có kết quả.", "approved",
     "Sở Xây dựng tiếp thu: quy chế bổ sung thời hạn giao kết quả chậm nhất 2 ngày làm việc."),
    ("doanhnghiep", None, "Đề nghị cho phép doanh nghiệp đăng ký nhận kết quả tại văn phòng.", "approved",
     "Xin giải trình: địa chỉ nhận do người nộp ghi khi đăng ký, có thể là địa chỉ văn phòng."),
]  # fmt: skip


def load_demo_consultations() -> int:
    """Create the demo consultations; the number written (0 when there are any already, or the demo accounts
    or the department are missing)."""
    if Consultation.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(is_demo=True, is_active=True)}
    agency = Agency.objects.filter(slug=AGENCY, is_active=True).first()
    if agency is None or not {MODERATOR, HANDLER, LEADER} <= set(users):
        return 0
    with transaction.atomic():
        _consultation(agency, users, OPEN_DRAFT, OPEN_COMMENTS, days_open=5, days_left=25)
        closed = _consultation(agency, users, CLOSED_DRAFT, CLOSED_COMMENTS, days_open=1, days_left=30)
        _back_in_time(closed, days=40)
        services.publish_responses(closed, by=users[LEADER])
    return 2


def _consultation(agency, users, draft, comments, *, days_open: int, days_left: int) -> Consultation:
    now = timezone.now()
    made = services.create_consultation(
        agency=agency, by=users[MODERATOR], opens_at=now - timedelta(days=days_open),
        closes_at=now + timedelta(days=days_left), **draft,
    )  # fmt: skip
    made = services.publish_consultation(made, by=users[MODERATOR])
    articles = {article.order: article for article in made.articles.all()}
    for number, (author, article, text, end, answer) in enumerate(comments, start=1):
        if author not in users:
            continue
        said = services.comment(
            made,
            by=users[author],
            article=articles.get(article),
            content=text,
            client_ip=f"198.51.100.{number}",
        )
        if end == "approved":
            said = services.approve(said, by=users[MODERATOR])
        elif end == "rejected":
            services.reject(said, by=users[MODERATOR], reason="Quảng cáo dịch vụ, không phải ý kiến góp ý.")
        if answer:
            services.respond(said, by=users[HANDLER], text=answer)
    return made


def _back_in_time(consultation: Consultation, days: int) -> None:
    """Demo only: the consultation opened ``days`` and a day ago and closed ten days ago; its comments and
    steps moved back with it."""
    shift = timedelta(days=days)
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=consultation.opens_at - shift,
        closes_at=timezone.now() - timedelta(days=10),
        published_at=consultation.published_at - shift,
        created_at=consultation.created_at - shift,
    )
    for model, field in ((ConsultationComment, "submitted_at"), (ConsultationEvent, "at")):
        for row in model.objects.filter(consultation=consultation):
            setattr(row, field, getattr(row, field) - shift + timedelta(days=1))
            row.save(update_fields=[field])
    consultation.refresh_from_db()
