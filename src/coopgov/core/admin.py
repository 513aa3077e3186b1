from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coopgov.core.models import (
    ApiToken,
    Event,
    Member,
    MemberCategory,
    Organisation,
    Person,
    Role,
    Unit,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Changes go through actions and their pages; the admin is for looking."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "legal_form", "enterprise_number", "city"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name", "email", "organisation"]
    search_fields = ["last_name", "first_name", "email"]
    list_filter = ["organisation"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "parent", "organisation"]


@admin.register(MemberCategory)
class MemberCategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "organisation"]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "person", "legal_name", "category", "status"]
    list_filter = ["status", "category"]
    search_fields = ["=number", "person__last_name", "legal_name"]
    list_select_related = ["person", "category"]


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "organisation"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "target_label", "actor", "organisation"]
    list_filter = ["action"]
    list_select_related = ["actor", "organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
