"""The parts of ``generate_sklearn_table.py``, the development-time generator of
``sklearn_estimators.json`` (see that script for why it exists and how to run it).

Every module here imports scikit-learn / imbalanced-learn and none imports
anything else from mllint, so the package also runs as a top-level package when
the script is started by its path.  One job per module: :mod:`.tables` (the
curated facts and corrections), :mod:`.scan` (public import paths),
:mod:`.introspect` (signatures, methods, tags), :mod:`.classes` and
:mod:`.functions` (the entries), :mod:`.render` (the JSON document).

How the facts are derived
-------------------------
* Estimators: ``sklearn.utils.discovery.all_estimators()`` (after enabling the
  experimental ``IterativeImputer`` and halving searches) plus imbalanced-learn's
  ``all_estimators()``.  Kinds come from the mixins (``TransformerMixin``,
  ``ClassifierMixin``, ...), from the estimator tags, and from method presence:
  ``TfidfVectorizer`` and ``Pipeline`` are transformers only because they have
  ``transform`` / ``fit_transform``.  ``fit_resample`` makes a resampler.
* ``learns_statistics`` comes from the tags (``requires_fit`` in the
  ``__sklearn_tags__`` API of scikit-learn >= 1.6, ``requires_fit`` /
  ``stateless`` in the older ``_get_tags()`` API), corrected by the short,
  commented override table below where the tags say something else than
  "fit learns something from the values of the rows".
* ``uses_y`` comes from the tags (``target_tags.required`` / ``requires_y``),
  the estimator kind and ``inspect.signature(cls.fit)``, plus overrides.
* Public import paths come from scanning ``__all__`` of every public
  (underscore-free) module of ``sklearn`` and ``imblearn``; the defining module
  (often private, e.g. ``sklearn.preprocessing._data``) is added as well,
  because user code imports from there too.
* Splitters are the concrete classes with a ``split`` method exported by
  ``sklearn.model_selection`` / ``imblearn.model_selection``.
* Functions: a curated set of modules whose functions matter to an ML
  pipeline (model selection, preprocessing, pipeline factories, metrics,
  feature scores, resampling, dataset loaders), each with a ``kind``.
"""
