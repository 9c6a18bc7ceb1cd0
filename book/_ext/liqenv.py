"""liqenv: a record per page kept in the Sphinx environment, for the book's extensions.

Sphinx keeps what an extension learns about a page in its environment, and the extension
must forget a page when it is read again (``env-purge-doc``) and take over what parallel
readers learnt (``env-merge-info``).  ``liqanswers`` counts its answer boxes this way and
``liqstudent`` the solutions it removed::

    counts = PerPage("liqanswers_counts")      # at module level
    counts.connect(app)                          # in setup()
    counts(env)[env.docname] = 3                 # while reading a page
"""

from __future__ import annotations

from typing import Any


class PerPage:
    """A dict ``docname -> value`` stored on the Sphinx environment as ``env.<name>``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, env: Any) -> dict[str, Any]:
        if not hasattr(env, self.name):
            setattr(env, self.name, {})
        return getattr(env, self.name)

    def purge(self, app: Any, env: Any, docname: str) -> None:
        self(env).pop(docname, None)

    def merge(self, app: Any, env: Any, docnames: Any, other: Any) -> None:
        self(env).update({d: n for d, n in self(other).items() if d in docnames})

    def connect(self, app: Any) -> None:
        app.connect("env-purge-doc", self.purge)
        app.connect("env-merge-info", self.merge)
