from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from accounts.views import api_keys, chat_models, secrets

app_name = "accounts"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="accounts:chat_models"), name="home"),
    path("chat-models/", chat_models.page, name="chat_models"),
    path("secrets/", secrets.page, name="secrets"),
    path("api-keys/", api_keys.page, name="api_keys"),
]
