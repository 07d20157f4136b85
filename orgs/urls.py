from __future__ import annotations

from django.urls import path

from orgs.views import audit, invitations, members, model_access, org_settings, switch

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
    path("<slug:slug>/settings/", org_settings.page, name="org_settings"),
]
