"""Start-up trimming for the command line (measured in `make bench`).

pydantic looks for plugins when it builds its first validator, and the module that does so imports
importlib.metadata at load time: ~25 ms, a tenth of `appraisal rank`. We use no plugins, so when
plugin discovery is disabled (PYDANTIC_DISABLE_PLUGINS, which the CLI sets unless the user has) we
register a loader that finds none, exactly what pydantic's own returns in that case. Any other name
asked of it loads the real module, so a future pydantic still works, only without the saving.
"""

from __future__ import annotations

import importlib
import os
import sys
import types

_LOADER = "pydantic.plugin._loader"


class _NoPlugins(types.ModuleType):
    def get_plugins(self):  # noqa: D102 - same contract as pydantic's
        return ()

    def __getattr__(self, name: str):
        if name.startswith("__"):  # the import system probing __path__, __spec__, ...
            raise AttributeError(name)
        sys.modules.pop(_LOADER, None)
        real = importlib.import_module(_LOADER)
        return getattr(real, name)


def skip_plugin_discovery() -> None:
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in ("1", "true", "__all__") and _LOADER not in sys.modules:
        stub = _NoPlugins(_LOADER)
        stub.get_plugins = lambda: ()  # type: ignore[method-assign]
        sys.modules[_LOADER] = stub
