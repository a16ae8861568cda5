import datetime as dt

from sqlalchemy import select
from sqlmodel import Session, col

from api import crud, models
from api.pagination import PageQuery, paginate
from api.referrals.schemas import Referral, ReferralCreate, ReferralFilters, ReferralUpdate

R = models.Referral
SORTABLE = {
    "referred_on": col(R.referred_on),
    "created_at": col(R.created_at),
    "updated_at": col(R.updated_at),
}


def get(session: Session, id_: str) -> models.Referral:
    return crud.get_or_404(session, R, id_, "referral")


def read(session: Session, referral: models.Referral) -> Referral:
    return Referral.model_validate(referral)


def list_(
    session: Session, page: PageQuery, filters: ReferralFilters, *, concerning: str | None
) -> tuple[list[Referral], str | None]:
    stmt = select(R)
    if filters.stakeholder is not None:
        stmt = stmt.where(col(R.stakeholder_id) == filters.stakeholder)
    if filters.scheme is not None:
        stmt = stmt.where(col(R.scheme_id) == filters.scheme)
    if filters.status is not None:
        stmt = stmt.where(col(R.status) == filters.status)
    if concerning is not None:
        provided = select(col(models.SupportScheme.id)).where(
            col(models.SupportScheme.provider_id) == concerning
        )
        mine = (col(R.stakeholder_id) == concerning) | (col(R.referred_by_id) == concerning)
        stmt = stmt.where(mine | col(R.scheme_id).in_(provided))
    keyset = paginate(stmt, page, SORTABLE, col(R.id), "-referred_on")
    rows, next_cursor = keyset.split(list(session.scalars(keyset.stmt)))
    return [Referral.model_validate(r) for r in rows], next_cursor


def create(session: Session, data: ReferralCreate) -> models.Referral:
    values = data.model_dump()
    crud.require_exists(session, models.Stakeholder, values["stakeholder_id"], "body.stakeholder_id")
    crud.require_exists(session, models.SupportScheme, values["scheme_id"], "body.scheme_id")
    crud.require_exists(session, models.Stakeholder, values["referred_by_id"], "body.referred_by_id")
    values["referred_on"] = values["referred_on"] or dt.date.today()
    return crud.add(session, R(**values))


def update(session: Session, referral: models.Referral, data: ReferralUpdate) -> models.Referral:
    crud.apply_changes(referral, data.model_dump(exclude_unset=True))
    session.flush()
    return referral


def delete(session: Session, referral: models.Referral) -> None:
    crud.remove(session, referral, "referral", [])
