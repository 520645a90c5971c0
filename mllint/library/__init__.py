"""API models: what each pandas / numpy / scikit-learn / builtin call does to the plan and the values.

Where a new API model goes:

1. a row in the knowledge table of its receiver family (``mllint/knowledge/``:
   ``pandas_ops.py`` for pandas and numpy names, the generated scikit-learn table,
   ``builtins_ops.py``, ``aliases.py`` for moved names), naming the *effect*;
2. when the effect is new, one handler for it in the module of the family here,
   a plain function ``(ctx, receiver, args, kwargs) -> Value | Rebind`` registered
   with ``@handlers.register(Family.X, "effect")`` (``registration.py``);
3. a golden case in ``tests/golden/`` showing the plan it builds.

Handlers see only a :class:`~.context.CallContext`; this package imports neither
LibCST nor the interpreter (``tests/test_architecture.py`` checks it).
"""
