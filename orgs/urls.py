from __future__ import annotations

from django.urls import path

from orgs.views import members, switch

app_name = "orgs"
urlpatterns = [
    path("switch/", switch.switch_org, name="switch"),
    path("<slug:slug>/members/", members.page, name="members"),
    path("<slug:slug>/audit/", members.audit, name="audit"),
]
