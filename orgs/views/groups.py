"""Groups (owners): people in an org who get the same platform models. A member gets their
own access combined with their groups'. Changes are plain forms answered with a message and
a redirect, with or without JavaScript."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from catalog.platform import deployed_models
from orgs import groups
from orgs.access import get_owner_membership
from orgs.forms import AllowlistForm, VersionedAllowlistForm, first_error
from orgs.group_forms import GroupMembersForm, GroupNameForm
from orgs.models import Access, Group, Membership, ModelAccessEvent
from orgs.selectors import PER_PAGE, editor_choices, ids_of
from orgs.views.rows import PROVISIONED, checklist_html
from settings_app.types import AuthedRequest

WEB = ModelAccessEvent.Via.WEB
TAKEN = "Another group got that name a moment ago. Choose another name."


def groups_url(me: Membership) -> str:
    return reverse("orgs:groups", args=[me.org.slug])


def group_url(group: Group, slug: str) -> str:
    return reverse("orgs:group", args=[slug, group.pk])


def _group(me: Membership, group_id: int) -> Group:
    return get_object_or_404(Group.objects.select_related("org"), org=me.org, pk=group_id)


def _refused(request: AuthedRequest, to: str, error: str) -> HttpResponse:
    messages.error(request, error)
    return redirect(to)


def _done(request: AuthedRequest, to: str, success: str) -> HttpResponse:
    messages.success(request, success)
    return redirect(to)


@require_GET
def page(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    listed = (
        Group.objects.filter(org=me.org)
        .annotate(member_count=Count("members"))
        .order_by(Lower("name"), "id")
    )
    groups_page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    deployed = ids_of(deployed_models())
    rows = [(group, Access.of(group.allowed_model_ids, deployed)) for group in groups_page]
    context = {
        "nav": "groups",
        "org": me.org,
        "me": me,
        "groups": groups_page,
        "rows": rows,
        "form": GroupNameForm(auto_id="new-group-%s"),
    }
    return render(request, "orgs/groups.html", context)


@require_POST
def create(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    form = GroupNameForm(request.POST)
    if not form.is_valid():
        return _refused(request, groups_url(me), first_error(form))
    try:
        group = groups.create_group(
            org=me.org, name=form.cleaned_data["name"], actor=request.user, via=WEB
        )
    except ValidationError as exc:
        return _refused(request, groups_url(me), exc.messages[0])
    except IntegrityError:
        return _refused(request, groups_url(me), TAKEN)
    success = f"Created group {group.name}. Add its members and choose its platform models."
    return _done(request, group_url(group, slug), success)


def _group_page(
    request: AuthedRequest,
    me: Membership,
    group: Group,
    *,
    form: AllowlistForm | None = None,
    error: str = "",
) -> HttpResponse:
    """The group's page; with a refused models `form`, what the owner ticked and why not."""
    members = group.members.select_related("user").order_by("user__email")
    members_page = Paginator(members, PER_PAGE).get_page(request.GET.get("page"))
    error = first_error(form) if form is not None else error
    checklist = checklist_html(
        request,
        editor_choices(group.allowed_model_ids),
        selected=form.ticked if form is not None else group.allowed_model_ids,
        form_label="group",
        who=f"the group {group.name}",
    )
    context = {
        "nav": "groups",
        "org": me.org,
        "me": me,
        "group": group,
        "access": Access.of(group.allowed_model_ids, ids_of(deployed_models())),
        "members": members_page,
        "checklist": checklist,
        "error": error,
        "provisioned_note": PROVISIONED,
        "rename_form": GroupNameForm(initial={"name": group.name}, auto_id="rename-%s"),
        "add_form": GroupMembersForm(auto_id="add-%s"),
    }
    return render(request, "orgs/group.html", context)


@require_GET
def group_page(request: AuthedRequest, slug: str, group_id: int) -> HttpResponse:
    me = get_owner_membership(request, slug)
    return _group_page(request, me, _group(me, group_id))


@require_POST
def set_models(request: AuthedRequest, slug: str, group_id: int) -> HttpResponse:
    me = get_owner_membership(request, slug)
    group = _group(me, group_id)
    form = VersionedAllowlistForm(request.POST, keep=group.allowed_model_ids)
    if not form.is_valid():
        return _group_page(request, me, group, form=form)
    try:
        changed = groups.set_group_models(
            group=group,
            allowed_model_ids=form.cleaned_data["allowed_model_ids"],
            actor=request.user,
            via=WEB,
            expected_version=form.cleaned_data["version"],
        )
    except groups.GroupConflict as conflict:
        now = Access.of(conflict.current.allowed_model_ids, ids_of(deployed_models()))
        error = (
            "Someone else changed this group's models since you opened the page. "
            f"It now gives {now.sentence.lower()}. Review them and save again."
        )
        return _group_page(request, me, conflict.current, error=error)
    access = Access.of(group.allowed_model_ids, ids_of(deployed_models()))
    if not changed:
        messages.info(
            request, f"Nothing changed: {group.name} already gives {access.sentence.lower()}."
        )
        return redirect(group_url(group, slug))
    success = f"Saved: {group.name} now gives its members {access.sentence.lower()}."
    return _done(request, group_url(group, slug), success)


@require_POST
def rename(request: AuthedRequest, slug: str, group_id: int) -> HttpResponse:
    me = get_owner_membership(request, slug)
    group = _group(me, group_id)
    here = group_url(group, slug)
    if group.provisioned:
        return _refused(request, here, PROVISIONED)
    form = GroupNameForm(request.POST)
    if not form.is_valid():
        return _refused(request, here, first_error(form))
    before = group.name
    try:
        groups.rename_group(
            group=group, name=form.cleaned_data["name"], actor=request.user, via=WEB
        )
    except ValidationError as exc:
        return _refused(request, here, exc.messages[0])
    except IntegrityError:
        return _refused(request, here, TAKEN)
    return _done(request, here, f"Renamed {before} to {group.name}.")


@require_POST
def delete(request: AuthedRequest, slug: str, group_id: int) -> HttpResponse:
    me = get_owner_membership(request, slug)
    group = _group(me, group_id)
    if group.provisioned:
        return _refused(
            request, groups_url(me), f"{PROVISIONED} Remove {group.name} there instead."
        )
    groups.delete_group(group=group, actor=request.user, via=WEB)
    success = f"Deleted group {group.name}. Its members keep their own access and other groups'."
    return _done(request, groups_url(me), success)


@require_POST
def add_members(request: AuthedRequest, slug: str, group_id: int) -> HttpResponse:
    me = get_owner_membership(request, slug)
    group = _group(me, group_id)
    here = group_url(group, slug)
    if group.provisioned:
        return _refused(request, here, PROVISIONED)
    form = GroupMembersForm(request.POST)
    if not form.is_valid():
        return _refused(request, here, first_error(form))
    try:
        wanted = groups.members_by_email(org=me.org, emails=form.cleaned_data["emails"])
    except ValidationError as exc:
        return _refused(request, here, exc.messages[0])
    added = groups.add_group_members(group=group, memberships=wanted, actor=request.user, via=WEB)
    if not added:
        messages.info(request, f"Nothing changed: they are already in {group.name}.")
        return redirect(here)
    emails = ", ".join(m.user.email for m in added[:5])
    more = f" and {len(added) - 5} more" if len(added) > 5 else ""
    head = ngettext("Added %(count)d member", "Added %(count)d members", len(added)) % {
        "count": len(added)
    }
    return _done(request, here, f"{head} to {group.name}: {emails}{more}.")


@require_POST
def remove_member(request: AuthedRequest, slug: str, group_id: int, user_id: UUID) -> HttpResponse:
    me = get_owner_membership(request, slug)
    group = _group(me, group_id)
    here = group_url(group, slug)
    if group.provisioned:
        return _refused(request, here, PROVISIONED)
    member = get_object_or_404(
        Membership.objects.select_related("user"), org=me.org, user_id=user_id
    )
    gone = groups.remove_group_members(
        group=group, memberships=[member], actor=request.user, via=WEB
    )
    if not gone:
        messages.info(request, f"Nothing changed: {member.user.email} isn't in {group.name}.")
        return redirect(here)
    return _done(request, here, f"Removed {member.user.email} from {group.name}.")
