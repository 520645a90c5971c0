"""The walk: statements, control flow, user functions and expressions over LibCST, nothing executed.

``core`` runs statements and control flow, ``expressions`` evaluates each kind of
expression, ``calls`` and ``dispatch`` are the thin seam to the API models of
``mllint.library`` (receiver kind + name -> effect -> handler, with a ``CallContext``).
"""
