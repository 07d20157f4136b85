"""/invitations/: the invited person's side of invitations, outside any one org."""

from __future__ import annotations

from django.urls import path

from orgs.views import invitations

app_name = "invitations"
urlpatterns = [
    path("", invitations.mine, name="list"),
    path("<str:token>/", invitations.detail, name="detail"),
    path("<str:token>/accept/", invitations.accept, name="accept"),
    path("<str:token>/decline/", invitations.decline, name="decline"),
]
