"""Satisfaction ratings of seeded dossiers (``manage.py seed_load``): written with each batch of dossiers
(``dossiers.loadtest.hooks.batch_seeded``), in its transaction, as ``services.rate_dossier`` leaves them.

Only an applicant with a portal account rates (``rules.may_rate``), once the dossier has ended in a way
they lived through (``rules.RATEABLE``): a share of those whose result was handed over, fewer of those
refused or stopped. They rate within hours or days of the end (never after now). Most are satisfied (4–5);
a late dossier less so, its processing time most of all; a refusal or a stop rather not. Each criterion
stays near the overall score; some leave a comment.
"""

from datetime import timedelta

from motcua.dossiers.loadtest.hooks import batch_seeded
from motcua.dossiers.models import DossierStatus, Timeliness

from .models import MAX_SCORE, MIN_SCORE, DossierRating
from .rules import RATEABLE

S = DossierStatus
RATED = {S.RETURNED: 0.45, S.REFUSED: 0.15, S.STOPPED: 0.2}  # the share of each that is rated
# Overall scores 1..5, by how it went.
SCORES = {
    "in_time": (0.01, 0.02, 0.07, 0.32, 0.58),
    "late": (0.05, 0.10, 0.20, 0.35, 0.30),
    "unserved": (0.15, 0.20, 0.30, 0.25, 0.10),
}
COMMENTED = 0.2
COMMENTS = {
    "good": [
        "Cán bộ hướng dẫn tận tình, trả kết quả sớm hơn hẹn.",
        "Thủ tục nhanh gọn, không phải đi lại nhiều lần.",
        "Nộp trực tuyến tiện lợi, theo dõi được tiến độ.",
        "Rất hài lòng.",
    ],
    "neutral": [
        "Hướng dẫn trên cổng còn khó hiểu ở phần giấy tờ.",
        "Phải chờ ở bộ phận một cửa khá lâu.",
    ],
    "bad": [
        "Hồ sơ bị trễ hẹn mà không được báo trước.",
        "Bị yêu cầu bổ sung giấy tờ nhiều lần.",
        "Không nhận được thư xin lỗi khi trễ hẹn.",
    ],
}
CRITERIA = ("access", "procedure_score", "officers", "processing_time", "result")


def connect() -> None:
    batch_seeded.connect(on_batch_seeded, dispatch_uid="engagement.seeded_ratings")


def on_batch_seeded(sender, *, dossiers: list[dict], run, **kwargs):
    rng = run.rng("ratings", dossiers)
    ratings = []
    for row in dossiers:
        status = row["status"]
        if status not in RATEABLE or not row.get("applicant_id") or rng.random() >= RATED.get(status, 0):
            continue
        ended = row.get("returned_at") or row.get("finished_at")
        if ended is None:
            continue
        rated_at = ended + min(timedelta(hours=rng.expovariate(1 / 20)), timedelta(days=30))
        if rated_at > run.now:
            continue
        ratings.append(rating_row(rng, row, rated_at))
    if not ratings:
        return
    writer = run.writer(DossierRating)
    for rating, pk in zip(ratings, writer.reserve_ids(len(ratings)), strict=True):
        rating["id"] = pk
    writer.write(ratings)
    run.counts["ratings"] += len(ratings)


def rating_row(rng, row: dict, rated_at) -> dict:
    if row["status"] != S.RETURNED:
        how = "unserved"
    elif row.get("timeliness") == Timeliness.LATE:
        how = "late"
    else:
        how = "in_time"
    overall = rng.choices(range(MIN_SCORE, MAX_SCORE + 1), weights=SCORES[how])[0]
    scores = {}
    for column in CRITERIA:
        shift = rng.choices((-1, 0, 1), weights=(0.15, 0.7, 0.15))[0]
        if column == "processing_time" and how == "late":
            shift -= 1
        scores[column] = min(max(overall + shift, MIN_SCORE), MAX_SCORE)
    comment = ""
    if rng.random() < COMMENTED:
        band = "good" if overall >= 4 else ("neutral" if overall == 3 else "bad")
        comment = rng.choice(COMMENTS[band])
    return {
        "dossier_id": row["id"], "agency_id": row["agency_id"], "procedure_id": row["procedure_id"],
        "rated_by_id": row["applicant_id"], "rated_at": rated_at, "overall": overall, "comment": comment,
        **scores,
    }  # fmt: skip
