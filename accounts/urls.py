from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from accounts.views import api_keys, chat_models, secrets

app_name = "accounts"
urlpatterns = [
    path(
        "",
        RedirectView.as_view(
            pattern_name="accounts:chat_models", http_method_names=["get", "head"]
        ),
        name="home",
    ),
    path("chat-models/", chat_models.page, name="chat_models"),
    path("chat-models/add/", chat_models.add_model, name="add_model"),
    path("chat-models/remove/", chat_models.remove_model, name="remove_model"),
    path("chat-models/reset/", chat_models.reset_models, name="reset_models"),
    path("chat-models/move/", chat_models.move_model, name="move_model"),
    path("chat-models/replace/", chat_models.replace_model, name="replace_model"),
    path("chat-models/check/", chat_models.check_model, name="check_model"),
    path("secrets/", secrets.page, name="secrets"),
    path("secrets/<uuid:pk>/replace/", secrets.replace, name="replace_secret"),
    path("secrets/<uuid:pk>/delete/", secrets.delete, name="delete_secret"),
    path("api-keys/", api_keys.page, name="api_keys"),
    path("api-keys/<int:pk>/revoke/", api_keys.revoke, name="revoke_api_key"),
    path("api-keys/revoke-all/", api_keys.revoke_all, name="revoke_all_api_keys"),
]
