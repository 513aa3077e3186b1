from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "coopgov.offers"
    label = "offers"
    verbose_name = _("Offers and accompaniment")
