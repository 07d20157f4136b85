from __future__ import annotations

from django.urls import path

from scim import views

app_name = "scim"
urlpatterns = [
    path("<slug:slug>/ServiceProviderConfig", views.service_provider_config, name="config"),
    path("<slug:slug>/ResourceTypes", views.resource_types, name="resource_types"),
    path("<slug:slug>/ResourceTypes/<str:name>", views.resource_type, name="resource_type"),
    path("<slug:slug>/Schemas", views.schemas, name="schemas"),
    path("<slug:slug>/Schemas/<str:urn>", views.schema, name="schema"),
    path("<slug:slug>/.search", views.search, name="search"),
    path("<slug:slug>/Users", views.users, name="users"),
    path("<slug:slug>/Users/<str:user_id>", views.user, name="user"),
    path("<slug:slug>/Groups", views.groups, name="groups"),
    path("<slug:slug>/Groups/<str:group_id>", views.group, name="group"),
]
