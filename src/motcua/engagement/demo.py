"""Demo petitions and feedback (``manage.py load_demo``): a handful sent by the demo citizens and by anonymous
visitors, taken through the real services by the demo officers (the reception ``tiepnhan.ubnd-tinh``, the
agencies' handlers ``xuly.*`` and leaders ``lanhdao.*``): answered and published, answered privately,
declined, one still in hand and one just received. Then, for the demo only, their dates are moved back so that
the public pages show a history rather than one afternoon. Loaded once: nothing is added when any petition
exists."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from motcua.accounts.models import User
from motcua.catalog.models import Agency

from . import deadlines
from .models import Petition, PetitionEvent, PetitionStatus
from .selectors.petitions import reception_agency
from .services import petitions as services


@dataclass(frozen=True)
class DemoPetition:
    sender: str | None  # a demo username, or None: anonymous feedback
    kind: str
    category: str
    about: dict
    subject: str
    content: str
    agency: str  # slug of the agency in charge
    answer: str = ""
    end: str = "published"  # published | answered | declined | in_hand | received
    days_ago: int = 30
    satisfied: bool | None = None


PETITIONS = [
    DemoPetition(
        "congdan", "petition", "procedure", {"procedure": "1.001193"},
        "Đề nghị cho phép nhận bản điện tử Giấy khai sinh qua tài khoản định danh",
        "Gia đình tôi đã đăng ký khai sinh trực tuyến cho con và được hẹn nhận bản giấy tại Ủy ban phường. "
        "Đề nghị cho phép nhận bản điện tử có chữ ký số qua tài khoản, để không phải đi lại.",
        "ubnd-phuong-hai-an",
        "Ủy ban nhân dân phường Hải An tiếp thu ý kiến. Từ tháng này, kết quả đăng ký khai sinh trực tuyến "
        "được trả bản điện tử có chữ ký số vào kho dữ liệu của tài khoản người nộp; bản giấy chỉ cấp khi "
        "người dân đề nghị. Ông/bà có thể tra cứu và tải kết quả trên Cổng dịch vụ công.",
        days_ago=60, satisfied=True,
    ),
    DemoPetition(
        "congdan2", "petition", "regulation", {"regulation": "Quy định giờ tiếp nhận hồ sơ một cửa"},
        "Kiến nghị tiếp nhận hồ sơ vào sáng thứ Bảy",
        "Nhiều người lao động không thể nghỉ làm trong giờ hành chính để nộp hồ sơ. Đề nghị bộ phận một cửa "
        "tỉnh tiếp nhận hồ sơ vào sáng thứ Bảy, ít nhất với các thủ tục hộ tịch và chứng thực.",
        "tthcc-tinh",
        "Trung tâm Phục vụ hành chính công tỉnh ghi nhận kiến nghị. Từ quý tới, Trung tâm tiếp nhận hồ sơ "
        "vào sáng thứ Bảy (7h30–11h30) với các lĩnh vực hộ tịch, chứng thực và đất đai. Ngoài ra, hầu hết "
        "thủ tục đã nộp được trực tuyến, không cần đến trụ sở.",
        days_ago=45,
    ),
    DemoPetition(
        None, "feedback", "agency", {"about_agency": "so-xay-dung"},
        "Phản ánh thời gian thẩm định hồ sơ cấp phép xây dựng",
        "Hồ sơ cấp giấy phép xây dựng của tôi đã quá hẹn một tuần nhưng chưa có kết quả, gọi điện đến số "
        "của Sở nhiều lần không ai nghe máy. Đề nghị Sở kiểm tra và trả lời.",
        "so-xay-dung",
        "Sở Xây dựng đã kiểm tra: hồ sơ bị chậm do phải lấy ý kiến của cơ quan phòng cháy, chữa cháy. Sở đã "
        "gửi thư xin lỗi và hẹn lại ngày trả kết quả; đồng thời bố trí thêm một cán bộ trực đường dây nóng "
        "trong giờ hành chính.",
        days_ago=20,
    ),
    DemoPetition(
        "doanhnghiep", "petition", "procedure", {"procedure": "1.001612"},
        "Đề nghị hướng dẫn đăng ký hộ kinh doanh cho nhiều địa điểm",
        "Doanh nghiệp chúng tôi hỗ trợ các hộ kinh doanh nhỏ và nhận được nhiều câu hỏi về việc một hộ có "
        "được kinh doanh ở nhiều địa điểm hay không. Đề nghị hướng dẫn cụ thể.",
        "ubnd-phuong-dong-thanh",
        "Theo quy định hiện hành, hộ kinh doanh đăng ký một địa điểm là trụ sở; các địa điểm kinh doanh "
        "khác được thông báo với cơ quan thuế và Ủy ban nhân dân cấp xã nơi có địa điểm. Hướng dẫn chi tiết "
        "đã được đăng trên trang thủ tục của Cổng.",
        end="answered", days_ago=15,
    ),
    DemoPetition(
        None, "feedback", "other", {},
        "Quảng cáo dịch vụ",
        "Nhận làm hồ sơ nhanh mọi thủ tục, liên hệ để được hỗ trợ, giá rẻ, uy tín, không cần đến cơ quan.",
        "ubnd-tinh", end="declined", days_ago=10,
    ),
    DemoPetition(
        "congdan", "feedback", "procedure", {"procedure": "1.004222"},
        "Không tải được tờ khai đăng ký thường trú",
        "Khi bấm tải mẫu tờ khai thay đổi thông tin cư trú trên trang thủ tục, trình duyệt trên điện thoại "
        "báo lỗi. Đề nghị kiểm tra.",
        "ca-phuong-hai-an", end="in_hand", days_ago=3,
    ),
    DemoPetition(
        None, "feedback", "other", {},
        "Đề nghị thêm hướng dẫn bằng video",
        "Người cao tuổi khó làm theo hướng dẫn bằng chữ. Đề nghị Cổng có thêm video ngắn hướng dẫn nộp hồ sơ "
        "trực tuyến cho các thủ tục thường gặp.",
        "ubnd-tinh", end="received", days_ago=1,
    ),
]  # fmt: skip


def load_demo_petitions() -> int:
    """Send and handle the demo petitions; the number written (0 when there are petitions already, or the
    demo accounts are missing)."""
    if Petition.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(is_demo=True, is_active=True)}
    if "tiepnhan.ubnd-tinh" not in users:
        return 0
    written = 0
    for number, demo in enumerate(PETITIONS, start=1):
        with transaction.atomic():
            petition = _handled(demo, users, number)
            _back_in_time(petition, demo.days_ago)
        written += 1
    return written


def _handled(demo: DemoPetition, users: dict, number: int) -> Petition:
    sender = users.get(demo.sender) if demo.sender else None
    petition = services.send_petition(
        kind=demo.kind, category=demo.category, subject=demo.subject, content=demo.content, by=sender,
        sender_name="" if sender else "Bạn đọc", consent_to_publish=demo.end == "published",
        client_ip=f"192.0.2.{number}", **demo.about,
    )  # fmt: skip
    reception = users["tiepnhan.ubnd-tinh"]
    if demo.end == "received":
        return petition
    if demo.end == "declined":
        return services.decline(
            petition, by=reception, note="Nội dung quảng cáo, không phải phản ánh, kiến nghị."
        )
    agency = Agency.objects.get(slug=demo.agency)
    services.route(petition, to_agency=agency, by=reception, note="Thuộc thẩm quyền giải quyết.")
    if demo.end == "in_hand":
        return petition
    services.propose_answer(petition, answer=demo.answer, by=users[f"xuly.{agency.slug}"])
    petition = services.approve_answer(petition, by=users[f"lanhdao.{agency.slug}"])
    if demo.end == "published":
        petition = services.publish(petition, by=reception)
    if demo.satisfied is not None and sender is not None:
        services.rate_answer(petition, by=sender, satisfied=demo.satisfied)
    return petition


def _back_in_time(petition: Petition, days: int) -> None:
    """Demo only: the petition arrived ``days`` ago and each step followed a day or two after the last."""
    shift = timedelta(days=days)
    received = petition.received_at - shift
    steps = list(PetitionEvent.objects.filter(petition=petition).order_by("at", "id"))
    for index, event in enumerate(steps):
        event.at = received + timedelta(days=min(index * 2, max(days - 1, 0)), minutes=index)
    PetitionEvent.objects.bulk_update(steps, ["at"])
    ended = steps[-1].at if petition.status != PetitionStatus.RECEIVED and not petition.is_open else None
    Petition.objects.filter(pk=petition.pk).update(
        code=services.allocate_code(reception_agency(), received),
        received_at=received,
        due_at=deadlines.due_at(petition.kind, received),
        ended_at=ended,
        published_at=ended if petition.published_at else None,
        rated_at=ended if petition.rated_at else None,
    )
    petition.refresh_from_db()
    if petition.ended_at:
        Petition.objects.filter(pk=petition.pk).update(on_time=petition.ended_at <= petition.due_at)
    Petition.objects.filter(pk=petition.pk, ended_at__isnull=True).update(on_time=None)


# --- dialogue sessions (đối thoại trực tuyến) --------------------------------------------------------------
#
# One finished session with its transcript (answered questions, one rejected, one merged, a commitment still
# open and one done) and one upcoming session, announced, with a few questions waiting for moderation. Both
# go through the real services, the finished one while "live", then moved back in time (demo only).

DIALOGUE_ORGANISER = "ubnd-tinh"
DIALOGUE_MODERATOR = "tiepnhan.ubnd-tinh"
DIALOGUE_LEADERS = [  # username, position, secretary
    ("lanhdao.so-xay-dung", "Giám đốc Sở Xây dựng", "xuly.so-xay-dung"),
    ("lanhdao.tthcc-tinh", "Giám đốc Trung tâm Phục vụ hành chính công tỉnh", None),
]
FINISHED_QA = [  # asker, question, leader (index), answer, theme
    (
        "Nguyễn Văn Hùng, phường Hải An",
        "Thời hạn cấp giấy phép xây dựng nhà ở riêng lẻ hiện là bao lâu, có thể rút ngắn không?",
        0,
        "Thời hạn theo quy định là 15 ngày. Từ quý tới, Sở Xây dựng áp dụng quy trình rút gọn còn 10 ngày "
        "làm việc với hồ sơ nộp trực tuyến đầy đủ.",
        "Cấp phép xây dựng",
    ),
    (
        "Trần Thị Mai, xã Tân Phong",
        "Người cao tuổi không dùng được điện thoại thông minh thì nộp hồ sơ trực tuyến thế nào?",
        1,
        "Tại Trung tâm Phục vụ hành chính công và bộ phận một cửa các xã đều có cán bộ hướng dẫn và nộp hồ "
        "sơ trực tuyến giúp người dân, không thu phí.",
        "Dịch vụ công trực tuyến",
    ),
    (
        "Lê Văn Tâm, phường Đông Thành",
        "Có thể nhận kết quả giấy phép xây dựng qua bưu điện không?",
        0,
        "Được. Khi nộp hồ sơ, ông/bà chọn nhận kết quả qua dịch vụ bưu chính công ích; phí theo bảng giá "
        "của bưu điện.",
        "Cấp phép xây dựng",
    ),
]


def load_demo_dialogues() -> int:
    """Prepare, run and finish the demo dialogue sessions; the number written (0 when there are sessions
    already, or the demo accounts are missing)."""
    from django.utils import timezone

    from .models import DialogueSession

    if DialogueSession.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(is_demo=True, is_active=True)}
    needed = {DIALOGUE_MODERATOR, "congdan", *(name for name, _t, _s in DIALOGUE_LEADERS)}
    organiser = Agency.objects.filter(slug=DIALOGUE_ORGANISER).first()
    if organiser is None or not needed <= set(users):
        return 0
    now = timezone.now()
    with transaction.atomic():
        _finished_session(users, organiser, now)
    with transaction.atomic():
        _upcoming_session(users, organiser, now)
    return 2


def _dialogue_leaders(users) -> list[dict]:
    return [
        {"leader": users[name], "title": title, "secretary": users.get(secretary) if secretary else None}
        for name, title, secretary in DIALOGUE_LEADERS
    ]


def _finished_session(users, organiser, now):
    from django.utils import timezone

    from .services import dialogues as dialogue_services

    moderator = users[DIALOGUE_MODERATOR]
    leaders = _dialogue_leaders(users)
    session = dialogue_services.create_session(
        title="Đối thoại trực tuyến về cải cách thủ tục hành chính trong lĩnh vực xây dựng",
        summary="Lãnh đạo Sở Xây dựng và Trung tâm Phục vụ hành chính công tỉnh trả lời câu hỏi của người "
        "dân và doanh nghiệp về cấp phép xây dựng và dịch vụ công trực tuyến.",
        organiser=organiser, starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=1),
        leaders=leaders, agencies=list(Agency.objects.filter(slug__in=["so-xay-dung", "tthcc-tinh"])),
        by=moderator,
    )  # fmt: skip
    dialogue_services.announce(session, by=moderator)
    answered = []
    for number, (asker, question, leader, answer, theme) in enumerate(FINISHED_QA, start=1):
        row = dialogue_services.ask_question(
            session,
            content=question,
            name=asker,
            phone=f"09120000{number:02d}",
            client_ip=f"198.51.100.{number}",
        )
        row = dialogue_services.approve(row, by=moderator, leader=leaders[leader]["leader"], theme=theme)
        writer = leaders[leader]["secretary"] or leaders[leader]["leader"]
        answered.append(dialogue_services.answer(row, text=answer, by=writer))
    duplicate = dialogue_services.ask_question(
        session, content="Bao giờ giấy phép xây dựng được cấp nhanh hơn?", name="Phạm Văn Long",
        phone="0912000099", client_ip="198.51.100.20",
    )  # fmt: skip
    dialogue_services.merge(duplicate, into=answered[0], by=moderator)
    spam = dialogue_services.ask_question(
        session, content="Nhận làm hồ sơ xin phép xây dựng nhanh, giá rẻ, liên hệ ngay!", name="Dịch vụ",
        phone="0912000098", client_ip="198.51.100.21",
    )  # fmt: skip
    dialogue_services.reject(spam, by=moderator, reason="Quảng cáo dịch vụ, không phải câu hỏi.")
    today = timezone.localdate()
    open_one = dialogue_services.commit(
        answered[0], text="Ban hành quy trình rút gọn cấp giấy phép xây dựng còn 10 ngày làm việc.",
        due_date=today + timedelta(days=45), agency=Agency.objects.get(slug="so-xay-dung"), by=moderator,
    )  # fmt: skip
    done = dialogue_services.commit(
        answered[1], text="Bố trí cán bộ hướng dẫn nộp hồ sơ trực tuyến tại bộ phận một cửa các xã.",
        due_date=today, agency=Agency.objects.get(slug="tthcc-tinh"), by=moderator,
    )  # fmt: skip
    dialogue_services.mark_done(done, by=moderator, note="Đã bố trí tại tất cả các xã, phường.")
    _dialogue_back_in_time(session, days=10)
    return open_one


def _morning(days: int):
    """Nine in the morning, local time, ``days`` from today (a demo session's hour)."""
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(9, 0)))


def _dialogue_back_in_time(session, *, days: int) -> None:
    """Demo only: the whole session happened ``days`` ago, from 9 in the morning (its time, questions,
    answers and steps move by the same amount, so their order and spacing stay as they were)."""
    from django.db.models import F

    from .models import DialogueCommitment, DialogueEvent, DialogueQuestion, DialogueSession

    shift = session.starts_at - _morning(-days)
    DialogueSession.objects.filter(pk=session.pk).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift, announced_at=F("announced_at") - shift
    )
    DialogueQuestion.objects.filter(session=session).update(submitted_at=F("submitted_at") - shift)
    DialogueQuestion.objects.filter(session=session, answered_at__isnull=False).update(
        answered_at=F("answered_at") - shift
    )
    DialogueEvent.objects.filter(session=session).update(at=F("at") - shift)
    commitments = DialogueCommitment.objects.filter(session=session)
    commitments.update(created_at=F("created_at") - shift)
    commitments.filter(done_at__isnull=False).update(done_at=F("done_at") - timedelta(days=1))


def _upcoming_session(users, organiser, now):
    from .services import dialogues as dialogue_services

    moderator = users[DIALOGUE_MODERATOR]
    session = dialogue_services.create_session(
        title="Đối thoại trực tuyến về thủ tục đất đai và đăng ký cư trú",
        summary="Lãnh đạo tỉnh và các sở trả lời câu hỏi về cấp giấy chứng nhận quyền sử dụng đất và đăng ký "
        "cư trú. Người dân gửi câu hỏi từ hôm nay đến khi buổi đối thoại kết thúc.",
        organiser=organiser, starts_at=_morning(7), ends_at=_morning(7) + timedelta(hours=2),
        leaders=_dialogue_leaders(users), agencies=list(Agency.objects.filter(slug__in=["so-nnmt"])),
        by=moderator,
    )  # fmt: skip
    dialogue_services.announce(session, by=moderator)
    for number, (content, by, name) in enumerate(
        [
            ("Thủ tục cấp đổi giấy chứng nhận quyền sử dụng đất mất bao lâu?", users["congdan"], ""),
            ("Đăng ký thường trú cho con mới sinh cần giấy tờ gì?", None, "Hoàng Thị Lan, xã Tân Phong"),
            ("Có thể nộp hồ sơ đất đai trực tuyến toàn trình không?", None, "Đỗ Văn Minh"),
        ],
        start=1,
    ):
        dialogue_services.ask_question(
            session, content=content, by=by, name=name, phone="" if by else f"09130000{number:02d}",
            client_ip=f"198.51.100.{40 + number}",
        )  # fmt: skip
