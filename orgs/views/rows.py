"""The members page's template context and its member rows, which the members and the
model-access views answer with.

A page of the member list is read from the database, and its rows rendered, once for every
viewer of the same role while the org's and the platform's versions stay as they were (at
most caching.TTL): rows are rendered from plain inputs (`row_inputs`), with a CSRF placeholder
that `with_csrf` fills in per request. Only the viewer's own row ("you", no controls) is
rendered per request. The access editor and its model checklist are fragments
(settings_app.fragments), kept under a digest of their inputs."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from functools import cache
from typing import Any

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from catalog import caching
from catalog.models import PlatformModel
from catalog.platform import deployed_models
from orgs import invitations
from orgs.forms import AddMemberForm, MemberSearchForm
from orgs.models import Access, Membership, Role
from orgs.selectors import PER_PAGE, ids_of, member_page, members_matching
from orgs.signals import org
from orgs.templatetags.orgs_tags import shown_time
from settings_app.fragments import CSRF_PLACEHOLDER, render_fragment, with_csrf

TEMPLATE = "orgs/members.html"
DEACTIVATED = "Deactivated by your identity provider: reactivate them there first."
PROVISIONED = "Managed by your identity provider: changes here would be undone by its next sync."
LIST = TEMPLATE + "#member_list"
INVITATIONS = TEMPLATE + "#invitations"
INVITE = TEMPLATE + "#invite"
SEARCH = "orgs/_member_search.html"
ROW = TEMPLATE + "#member_row"
EDITOR = TEMPLATE + "#access_form"
CHECKLIST = TEMPLATE + "#access_fields"
ROLES = tuple((value, str(label)) for value, label in Role.choices)

# A model in the editor's checklist: (model_id, display_name, is_active, is_new).
Choice = tuple[str, str, bool, bool]


def members_url(me: Membership) -> str:
    return reverse("orgs:members", args=[me.org.slug])


def page_context(me: Membership, **extra: Any) -> dict[str, Any]:
    """What every members-page template needs."""
    return {"me": me, "org": me.org, "members_url": members_url(me), **extra}


def choice_inputs(models: Iterable[PlatformModel]) -> tuple[Choice, ...]:
    """The checklist's models as plain values. "New" depends on the time, so it is one."""
    now = timezone.now()
    return tuple(
        (m.model_id, m.display_name, m.is_active, m.is_active and m.is_new(now)) for m in models
    )


def member_data(member: Membership) -> dict[str, Any]:
    """What a member's row shows of them, as plain data: a page of these is kept and read
    back far more cheaply than the model instances."""
    user = member.user
    return {
        "user_id": str(member.user_id),
        "email": user.email,
        "full_name": user.get_full_name(),
        "joined_at": member.joined_at,
        "role": member.role,
        "role_label": member.get_role_display(),
        "is_owner": member.is_owner,
        "allowed": member.effective_model_ids,
        "owner_warning": member.owner_warning if member.is_restricted else "",
        "access_version": member.access_version,
        "is_active": member.is_active,
        "provisioned": member.provisioned,
        "groups": tuple((g.pk, g.name) for g in member.groups.all()),
    }


def row_inputs(
    me: Membership,
    members: Iterable[Membership | dict[str, Any]],
    deployed_ids: Collection[str],
    *,
    error: str = "",
    success: str = "",
    focus: str = "",
    chosen_role: str = "",
    editing: bool = False,
    choices: tuple[Choice, ...] = (),
    selected: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Everything each member's row shows (members, or their `member_data`), as `me` sees it:
    the one way to build a row, for the page's rows and for every htmx answer with one. A
    message (`error`, `success`) takes the keyboard focus, as does Model access with
    `focus="access"`; `editing` shows the access editor with `choices` (`choice_inputs`) and
    the `selected` ids (None: all models)."""
    shared = {
        "viewer_is_owner": me.is_owner,
        "org_name": me.org.name,
        "members_url": members_url(me),
        "groups_url": reverse("orgs:groups", args=[me.org.slug]),
        "roles": ROLES,
        "error": error,
        "success": success,
        "focus": focus,
        "chosen_role": chosen_role,
        "editing": editing,
        "choices": choices,
        "selected": None if selected is None else tuple(selected),
    }
    rows = []
    for member in members:
        data = member if isinstance(member, dict) else member_data(member)
        access = Access.of(data["allowed"], deployed_ids)
        joined = shown_time(data["joined_at"])
        rows.append(
            {
                **shared,
                **{k: v for k, v in data.items() if k not in ("allowed", "joined_at")},
                "joined_at": joined.datetime,
                "joined_title": joined.title,
                "joined_ago": joined.text,
                "is_restricted": access.allowed is not None,
                "access_level": access.level,
                "access_text": str(access),
                "access_retired": access.retired,
                "access_retired_text": access.retired_text,
                "is_me": data["user_id"] == str(me.user_id),
            }
        )
    return rows


def rows_html(rows: Iterable[dict[str, Any]]) -> list[str]:
    """Each row (`row_inputs`) rendered, its forms' CSRF token a placeholder (`with_csrf`)."""
    return [render_to_string(ROW, {**row, "csrf_token": CSRF_PLACEHOLDER}) for row in rows]


class MembersOfOrg:
    """What the members page shows of the org: how many members match the search and the
    page of them, rendered for every viewer of `me`'s role (kept while the org's and the
    platform's versions are current), and the pending invitations (for owners)."""

    def __init__(self, me: Membership, query: str, page: str) -> None:
        # A page that isn't a number is the first, as Paginator.get_page reads it.
        page = page[:20] if page[:20].isascii() and page[:20].isdigit() else "1"
        self.me, self.query, self.page = me, query, page

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.query.encode()).hexdigest()

    @cached_property
    def kept(self) -> dict[str, Any]:
        """How many members match; the page's number, members and rows; for owners, the
        pending invitations: read in one cache round trip."""
        of, digest = self.me.org, self.digest
        count = cache(lambda: members_matching(self.me, self.query).count())

        def page() -> tuple[int, list[dict[str, Any]], list[str]]:
            members = member_page(self.me, self.query, self.page, count())
            # Every row names the member's groups: one query for the page, whatever its size.
            people = list(members.object_list)
            prefetch_related_objects(people, "groups")
            data = [member_data(m) for m in people]
            rows = row_inputs(self.me, data, ids_of(deployed_models()))
            for row in rows:
                row["is_me"] = False  # for any viewer: the viewer's own is rendered per request
            return members.number, data, rows_html(rows)

        builds: dict[str, Any] = {"count": count, "page": page}
        if self.me.is_owner:
            builds["invitations"] = lambda: invitations.org_pending(of)
        keys = {
            "count": f"member-count:{of.pk}:{digest}",
            "page": f"member-page:{of.pk}:{digest}:{self.page}:{int(self.me.is_owner)}",
            "invitations": f"invitations:{of.pk}",
        }
        found = caching.cached_many(
            {keys[k]: b for k, b in builds.items()}, [org(of.pk), caching.PLATFORM]
        )
        return {k: found[keys[k]] for k in builds}

    @property
    def count(self) -> int:
        return self.kept["count"]

    def list_html(self, request: HttpRequest) -> SafeString:
        number, people, html = self.kept["page"]
        members = Paginator(range(self.count), PER_PAGE).page(number)  # for its links alone
        members.object_list = people
        mine = str(self.me.user_id)
        rows = [
            rows_html(row_inputs(self.me, [data], ids_of(deployed_models())))[0]
            if data["user_id"] == mine
            else row
            for data, row in zip(people, html, strict=True)
        ]
        rows_shown = mark_safe("".join(rows))  # noqa: S308 - rendered by rows_html
        context = {"me": self.me, "members": members, "rows": rows_shown, "q": self.query}
        return with_csrf(request, render_to_string(LIST, context))

    def invitations_html(self, request: HttpRequest) -> SafeString:
        context = {
            "org": self.me.org,
            "invitations": self.kept["invitations"],
            "roles": ROLES,
            "csrf_token": CSRF_PLACEHOLDER,
        }
        return with_csrf(request, render_to_string(INVITATIONS, context))


def search_html(
    request: HttpRequest, me: Membership, search: MemberSearchForm, count: int
) -> SafeString:
    """The list's heading, with how many members match, and its search box."""
    inputs = {
        "heading": "members-heading",
        "list": "member",
        "url": members_url(me),
        "q": search.data.get("q", ""),  # as typed: the form shows it, and why it can't search
        "count": count,
    }
    html = render_fragment(SEARCH, inputs, {"search": search})  # the form is the typed q's
    return with_csrf(request, html)


def invite_html(request: HttpRequest, me: Membership) -> SafeString:
    """The owners' invitation form: the same for every owner of the org."""
    objects = {"add_form": AddMemberForm(auto_id="add-%s")}
    return with_csrf(request, render_fragment(INVITE, {"slug": me.org.slug}, objects))


def row_response(request: HttpRequest, row: dict[str, Any]) -> HttpResponse:
    """An htmx answer of one row (`row_inputs`)."""
    return HttpResponse(with_csrf(request, rows_html([row])[0]))


def member_row(
    request: HttpRequest, me: Membership, member: Membership, **extra: Any
) -> HttpResponse:
    """One member's row; `extra` as `row_inputs` takes it."""
    [row] = row_inputs(me, [member], ids_of(deployed_models()), **extra)
    return row_response(request, row)


def checklist_html(
    request: HttpRequest,
    models: Iterable[PlatformModel],
    *,
    selected: Iterable[str] | None,
    form_label: str,
    who: str,
) -> SafeString:
    """The editor's model checklist outside a member's row (bulk change, org settings): the
    same for every owner while the deployed list doesn't change. `who` is whom saving an empty
    list leaves with no platform models."""
    inputs = {
        "choices": choice_inputs(models),
        "selected": None if selected is None else tuple(selected),
        "form_label": form_label,
        "who": who,
    }
    return with_csrf(request, render_fragment(CHECKLIST, inputs))
