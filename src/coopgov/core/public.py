"""Marking the few pages that anyone may open without signing in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required

# One name for the idea "this page is public", so a reader can grep for every such page.
public = login_not_required
