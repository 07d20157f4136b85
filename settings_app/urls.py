from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods
from django.views.generic import RedirectView

from accounts.forms import LoginForm
from settings_app.api import api
from settings_app.views import favicon, healthz

# The admin says whose it is: its title, header and front page.
admin.site.site_header = "Dreadnode · staff admin"
admin.site.site_title = "Dreadnode admin"
admin.site.index_title = "Users, organizations, models and syncs"
# The list pages need the width: at 1280 px the nav sidebar pushed their last columns out of view
# (the breadcrumbs and the index still lead everywhere).
admin.site.enable_nav_sidebar = False

# The login view redirects a logged-in visitor before it checks the method.
login = require_http_methods(["GET", "HEAD", "POST"])(
    auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm)
)
home = RedirectView.as_view(url="/settings/", permanent=False, http_method_names=["get", "head"])

urlpatterns = [
    path("favicon.ico", favicon),
    path("", home),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", include("accounts.urls")),
    path("orgs/", include("orgs.urls")),
    path("invitations/", include("orgs.urls_invitations")),
    path("api/v1/", api.urls),
    path("scim/v2/", include("scim.urls")),
]
