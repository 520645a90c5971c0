"""The analysis engine's front half: source text, parsing, positions, data headers, one file's analysis.

With ``mllint.plan`` (the typed plan), ``mllint.domains`` (abstract values),
``mllint.interpreter`` (the walk), ``mllint.library`` (API models) and
``mllint.knowledge`` (API tables) it is everything that turns code into a plan.
"""
