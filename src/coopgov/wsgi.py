from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopgov.settings")
application = get_wsgi_application()

# What the server loaded lives as long as the process: moved out of the garbage collector's
# reach, it is no longer traversed by each full collection, which otherwise paused a worker
# for about 100 ms every few hundred requests.
gc.collect()
gc.freeze()
