from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.models import ApiKey, User


class Command(BaseCommand):
    help = "Create a personal API key for a user; the key is printed alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="cli", help="A label for the key (default: cli).")

    def handle(self, *args, email: str, name: str, **options):
        user = User.objects.by_email(email.strip()).first()
        if user is None:
            raise CommandError(f"No user with email {email!r}.")
        key, raw = ApiKey.issue(user=user, name=name[:100] or "cli")
        self.stderr.write(
            f"Created API key “{key.name}” for {user.email}. It won't be shown again."
        )
        self.stdout.write(raw)
