from __future__ import annotations

from django.urls import path, re_path

from orgs.views import (
    access_file,
    audit,
    invitations,
    matrix,
    members,
    model_access,
    org_settings,
    requests,
    switch,
    undeployed,
)

app_name = "orgs"
urlpatterns = [
    path("switch/", switch.switch_org, name="switch"),
    path("<slug:slug>/members/", members.page, name="members"),
    path("<slug:slug>/members/add/", members.add_member, name="add_member"),
    path("<slug:slug>/members/bulk-access/", model_access.bulk_access, name="bulk_access"),
    path(
        "<slug:slug>/members/<uuid:user_id>/access/",
        model_access.member_access,
        name="member_access",
    ),
    path("<slug:slug>/members/<uuid:user_id>/", members.row, name="member"),
    path("<slug:slug>/members/<uuid:user_id>/role/", members.change_role, name="change_role"),
    path("<slug:slug>/members/<uuid:user_id>/remove/", members.remove_member, name="remove_member"),
    path("<slug:slug>/audit/", audit.page, name="audit"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/revoke/",
        invitations.revoke,
        name="revoke_invitation",
    ),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/resend/",
        invitations.resend,
        name="resend_invitation",
    ),
    path("<slug:slug>/settings/", org_settings.page, name="org_settings"),
]

# The members × models matrix and model access as a file.
urlpatterns += [
    path("<slug:slug>/access/", matrix.page, name="access_matrix"),
    path("<slug:slug>/access/preview/", matrix.preview_change, name="access_preview"),
    path("<slug:slug>/access/apply/", matrix.apply_change, name="access_apply"),
    re_path(
        r"^(?P<slug>[-\w]+)/access/export\.(?P<fmt>json|csv)$",
        access_file.export,
        name="access_export",
    ),
    path("<slug:slug>/access/import/", access_file.import_preview, name="access_import"),
    path("<slug:slug>/access/import/apply/", access_file.import_apply, name="access_import_apply"),
]

# Platform models no longer deployed but still on allowlists.
urlpatterns += [
    path("<slug:slug>/access/undeployed/", undeployed.page, name="undeployed"),
    path("<slug:slug>/access/undeployed/remove/", undeployed.remove, name="undeployed_remove"),
]

# Access requests: members ask for a platform model, owners decide.
urlpatterns += [
    path("<slug:slug>/requests/", requests.page, name="requests"),
    path("<slug:slug>/requests/new/", requests.request_access, name="request_access"),
    path("<slug:slug>/requests/decide/", requests.decide_selected, name="decide_requests"),
    re_path(
        r"^(?P<slug>[-\w]+)/requests/(?P<request_id>[0-9]{1,9})/(?P<action>approve|deny)/$",
        requests.decide,
        name="decide_request",
    ),
]
