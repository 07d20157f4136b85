from __future__ import annotations

from django.urls import include, path, re_path

from orgs.views import (
    access_file,
    audit,
    groups,
    invitations,
    matrix,
    members,
    model_access,
    org_settings,
    requests,
    switch,
    undeployed,
)

# The pages of one org, under /orgs/<slug>/.
org_patterns = [
    path("members/", members.page, name="members"),
    path("members/add/", members.add_member, name="add_member"),
    path("members/bulk-access/", model_access.bulk_access, name="bulk_access"),
    path("members/<uuid:user_id>/access/", model_access.member_access, name="member_access"),
    path("members/<uuid:user_id>/", members.row, name="member"),
    path("members/<uuid:user_id>/role/", members.change_role, name="change_role"),
    path("members/<uuid:user_id>/remove/", members.remove_member, name="remove_member"),
    path("audit/", audit.page, name="audit"),
    # Groups: people who get the same platform models.
    path("groups/", groups.page, name="groups"),
    path("groups/new/", groups.create, name="create_group"),
    path("groups/<int:group_id>/", groups.group_page, name="group"),
    path("groups/<int:group_id>/rename/", groups.rename, name="rename_group"),
    path("groups/<int:group_id>/delete/", groups.delete, name="delete_group"),
    path("groups/<int:group_id>/models/", groups.set_models, name="group_models"),
    path("groups/<int:group_id>/members/add/", groups.add_members, name="add_group_members"),
    path(
        "groups/<int:group_id>/members/<uuid:user_id>/remove/",
        groups.remove_member,
        name="remove_group_member",
    ),
    path("invitations/<int:invitation_id>/revoke/", invitations.revoke, name="revoke_invitation"),
    path("invitations/<int:invitation_id>/resend/", invitations.resend, name="resend_invitation"),
    path("settings/", org_settings.page, name="org_settings"),
    path("settings/scim-tokens/", org_settings.create_scim_token, name="create_scim_token"),
    path(
        "settings/scim-tokens/<int:token_id>/revoke/",
        org_settings.revoke_scim_token,
        name="revoke_scim_token",
    ),
    # The members × models matrix and model access as a file.
    path("access/", matrix.page, name="access_matrix"),
    path("access/preview/", matrix.preview_change, name="access_preview"),
    path("access/apply/", matrix.apply_change, name="access_apply"),
    path("access/import/", access_file.import_preview, name="access_import"),
    path("access/import/apply/", access_file.import_apply, name="access_import_apply"),
    # Platform models no longer deployed but still on allowlists.
    path("access/undeployed/", undeployed.page, name="undeployed"),
    path("access/undeployed/remove/", undeployed.remove, name="undeployed_remove"),
    # Access requests: members ask for a platform model, owners decide.
    path("requests/", requests.page, name="requests"),
    path("requests/new/", requests.request_access, name="request_access"),
    path("requests/decide/", requests.decide_selected, name="decide_requests"),
]

app_name = "orgs"
urlpatterns = [
    path("switch/", switch.switch_org, name="switch"),
    path("<slug:slug>/", include(org_patterns)),
    re_path(
        r"^(?P<slug>[-\w]+)/access/export\.(?P<fmt>json|csv)$",
        access_file.export,
        name="access_export",
    ),
    re_path(
        r"^(?P<slug>[-\w]+)/requests/(?P<request_id>[0-9]{1,9})/(?P<action>approve|deny)/$",
        requests.decide,
        name="decide_request",
    ),
]
