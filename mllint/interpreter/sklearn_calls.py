"""Transfer functions for scikit-learn and imbalanced-learn.

Estimators become :class:`Estimator` values with nested steps (Pipeline,
FeatureUnion) or branches (ColumnTransformer).  Calling ``fit`` /
``fit_transform`` / ``transform`` / ``predict`` / ``score`` expands into the
per-step plan nodes on the fit side and on the transform side, with mlinspect's
conventions: transformer and estimator nodes sit at the estimator's constructor,
ColumnTransformer projections and concatenation at the ColumnTransformer's
constructor, test nodes at the ``.score(...)`` call.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ..domains.provenance import Provenance
from ..domains.schema import UNKNOWN_SCHEMA
from ..domains.values import SeqKind, DataKind, TOP, Const, Data, DictV, Estimator, Folds, Seq, Statistic, Value
from ..knowledge.display_names import MLINSPECT_COLUMN_PRESERVING, display_name, mlinspect_name
from ..knowledge.sklearn_api import lookup_class, lookup_function
from ..plan import (EvaluationInfo, EvaluationKind, FitInfo, ModelInputInfo, Operator, Phase, RowFilter,
                    SelectionInfo, SplitInfo, SplitSide, TransformInfo, NO_FEATURES, Features)

from ..domains.data_ops import arg, columns_of, const_str, const_strings, lineage_of, parents_of, python_value, stats_of

if TYPE_CHECKING:  # pragma: no cover
    from .scope import Scope

_PREDICT_METHODS = frozenset({"predict", "predict_proba", "predict_log_proba", "decision_function",
                              "score_samples"})
_COMPOSITES = frozenset({"Pipeline", "ColumnTransformer", "FeatureUnion"})


class SklearnCalls:
    """Mixin of :class:`CallEvaluator` for scikit-learn / imbalanced-learn."""

    # -- construction -------------------------------------------------------------------
    def call_sklearn(self, qualname: str, args: list[Value], kwargs: dict[str, Value], node: cst.Call) -> Value:
        info = lookup_class(qualname)
        if info is not None:
            return self.construct(qualname, info, args, kwargs, node)
        function = lookup_function(qualname)
        if function is None:
            return self.unknown(f"call of {qualname}", args + list(kwargs.values()), node)
        handler = getattr(self, f"_sk_{function.kind}", None)
        if handler is None:
            return self.unknown(f"call of {qualname}", args + list(kwargs.values()), node)
        return handler(function, args, kwargs, node)

    def construct(self, qualname: str, info, args: list[Value], kwargs: dict[str, Value], node: cst.Call) -> Value:
        params = dict(zip(info.params, args))
        params.update(kwargs)
        estimator = Estimator(qualname, info, params, self.it.site(node))
        name = info.name
        if name == "Pipeline":
            estimator.steps = _named_parts(params.get("steps"))
        elif name == "FeatureUnion":
            estimator.steps = _named_parts(params.get("transformer_list"))
        elif name == "ColumnTransformer":
            estimator.branches = _branches(params.get("transformers"))
            estimator.remainder = params.get("remainder", Const("drop"))
        return estimator

    def _sk_pipeline_factory(self, function, args, kwargs, node) -> Value:
        name = function.name
        if name in ("make_pipeline", "make_union"):
            cls = "Pipeline" if name == "make_pipeline" else "FeatureUnion"
            module = "imblearn.pipeline" if function.modules[0].startswith("imblearn") else \
                ("sklearn.pipeline")
            info = lookup_class(f"{module}.{cls}") or lookup_class(f"sklearn.pipeline.{cls}")
            estimator = Estimator(f"{module}.{cls}", info, dict(kwargs), self.it.site(node))
            estimator.steps = [(_step_name(step, index), step) for index, step in enumerate(args)]
            return estimator
        if name == "make_column_transformer":
            info = lookup_class("sklearn.compose.ColumnTransformer")
            estimator = Estimator("sklearn.compose.ColumnTransformer", info, dict(kwargs), self.it.site(node))
            estimator.branches = [(_step_name(part.items[0], index), part.items[0], part.items[1])
                                  for index, part in enumerate(args) if isinstance(part, Seq) and len(part.items) >= 2]
            estimator.remainder = kwargs.get("remainder", Const("drop"))
            return estimator
        return TOP

    def estimator_attribute(self, estimator: Estimator, attr: str) -> Value:
        if attr == "named_steps":
            return DictV(tuple(Const(n) for n, _ in estimator.steps), tuple(s for _, s in estimator.steps))
        if attr == "steps":
            return Seq(tuple(Seq((Const(n), s), SeqKind.TUPLE) for n, s in estimator.steps))
        if attr in ("best_estimator_", "estimator_"):
            inner = estimator.params.get("estimator", estimator.params.get("base_estimator"))
            return inner if isinstance(inner, Estimator) else TOP
        if attr in ("fit", "predict", "transform", "score"):
            return TOP
        return TOP

    def estimator_getitem(self, estimator: Estimator, key: Value) -> Value:
        if isinstance(key, Const) and estimator.steps:
            if isinstance(key.value, int):
                try:
                    return estimator.steps[key.value][1]
                except IndexError:
                    return TOP
            for name, step in estimator.steps:
                if name == key.value:
                    return step
        return TOP

    # -- methods -------------------------------------------------------------------------
    def estimator_method(self, estimator: Estimator, name: str, args: list[Value], kwargs: dict[str, Value],
                         node: cst.Call, scope: "Scope") -> Value:
        X = arg(args, kwargs, 0, "X")
        y = arg(args, kwargs, 1, "y")
        if name in ("fit", "partial_fit"):
            self.fit(estimator, X, y, node)
            return estimator
        if name == "fit_transform":
            return self.fit_transform(estimator, X, y, node)
        if name == "transform":
            return self.transform(estimator, X, node)
        if name in _PREDICT_METHODS:
            return self.predict(estimator, X, node, name)
        if name == "score":
            return self.score(estimator, X, y, node)
        if name == "fit_predict":
            self.fit(estimator, X, y, node)
            return self.predict(estimator, X, node, name)
        if name == "fit_resample":
            return self.resample(estimator, X, y, node)
        if name == "split" and "splitter" in estimator.kinds:
            # cross-validation folds: indexing with their indices narrows the rows to one side
            split = self.emit(Operator.TRAIN_TEST_SPLIT, f"{estimator.class_name}.split", parents_of(X), node,
                              SplitInfo(side=SplitSide.FOLDS, cross_validation=True), visible=False)
            return Folds(split.id)
        if name in ("set_params", "set_output"):
            return estimator
        if name == "inverse_transform":
            return X if isinstance(X, Data) else TOP
        return TOP

    # fit side ----------------------------------------------------------------------------
    def fit(self, estimator: Estimator, X: Value | None, y: Value | None, node: cst.Call) -> None:
        name = estimator.info.name if estimator.info is not None else estimator.class_name
        if name in ("Pipeline",):
            current = X
            steps = [s for s in estimator.steps if isinstance(s[1], Estimator)]
            for _, step in steps[:-1]:
                if "resampler" in step.kinds:   # imblearn pipelines resample X and y while fitting
                    resampled = self.resample(step, current, y, node)
                    current, y = resampled.items[0], (resampled.items[1] if y is not None else None)
                    continue
                current = self.apply_transform(step, current, "fit_transform", y, node)
            if steps:
                final = steps[-1][1]
                if _is_predictor(final):
                    self.fit_leaf(final, current, y, node)
                elif "transformer" in final.kinds or final.info is None:
                    self.apply_transform(final, current, "fit_transform", y, node)
            self._record_fit(estimator, X)
            return
        if name in ("ColumnTransformer", "FeatureUnion"):
            self.apply_transform(estimator, X, "fit_transform", y, node)
            return
        if "search" in estimator.kinds or _wrapped(estimator) is not None:
            inner = _wrapped(estimator)
            if isinstance(inner, Estimator):
                self.fit(inner, X, y, node)   # the refit of the best candidate on all of X
                # the candidates were scored by an internal cross-validation over the rows of X
                self.emit(Operator.SCORE, f"{estimator.class_name} (internal cross-validation)", parents_of(X, y),
                          node, EvaluationInfo(kind=EvaluationKind.CROSS_VALIDATION, estimator=inner,
                                               features=_features(X), inputs=tuple(parents_of(X))), visible=False)
            self._record_fit(estimator, X)
            return
        if _is_predictor(estimator):
            self.fit_leaf(estimator, X, y, node)
            return
        if "transformer" in estimator.kinds:
            node_ = self.emit(Operator.TRANSFORMER, f"{display_name(name)}: fit", parents_of(X), None,
                              TransformInfo(phase=Phase.FIT, learns=_learns(estimator), estimator=estimator,
                                            call=self.it.site(node)), visible=False, site=estimator.site)
            self._record_fit(estimator, X, node_)
            return
        self._record_fit(estimator, X)

    def fit_leaf(self, estimator: Estimator, X: Value | None, y: Value | None, node: cst.Call) -> None:
        """TRAIN_DATA + TRAIN_LABELS -> ESTIMATOR, all at the estimator's constructor."""
        name = estimator.class_name
        visible = mlinspect_name(name) is not None
        site = estimator.site
        train = self.emit(Operator.TRAIN_DATA, None, parents_of(X), None, ModelInputInfo(estimator=estimator),
                          visible=visible, site=site, columns=["array"])
        parents = [train]
        if y is not None:
            labels = self.emit(Operator.TRAIN_LABELS, None, parents_of(y), None, ModelInputInfo(estimator=estimator),
                               visible=visible, site=site, columns=["array"])
            parents.append(labels)
        fitted = self.emit(Operator.ESTIMATOR, display_name(name), parents, None,
                           FitInfo(estimator=estimator, features=_features(X), call=self.it.site(node),
                                   label_lineage=lineage_of(y) if y is not None else frozenset()),
                           visible=visible, site=site, columns=[])
        estimator.estimator_node = fitted
        self._record_fit(estimator, X, fitted)

    def _record_fit(self, estimator: Estimator, X: Value | None, node_=None) -> None:
        prov = X.prov if isinstance(X, Data) else None
        estimator.fits.append((prov, node_))
        if isinstance(X, Data) and X.kind is DataKind.FRAME:
            estimator.fit_schema = X.schema

    def fit_transform(self, estimator: Estimator, X: Value | None, y: Value | None, node: cst.Call) -> Value:
        if estimator.class_name == "Pipeline" or "search" in estimator.kinds:
            steps = [s for _, s in estimator.steps if isinstance(s, Estimator)]
            current = X
            for step in steps:
                current = self.apply_transform(step, current, "fit_transform", y, node)
            self._record_fit(estimator, X)
            return current
        return self.apply_transform(estimator, X, "fit_transform", y, node)

    # transform side ------------------------------------------------------------------------
    def transform(self, estimator: Estimator, X: Value | None, node: cst.Call) -> Value:
        if estimator.class_name == "Pipeline":
            current = X
            for _, step in estimator.steps:
                if isinstance(step, Estimator):
                    current = self.apply_transform(step, current, "transform", None, node)
            return current
        return self.apply_transform(estimator, X, "transform", None, node)

    def apply_transform(self, estimator: Value, X: Value | None, phase: str, y: Value | None,
                        node: cst.Call) -> Value:
        """Run one (possibly composite) transformer on X, emitting its per-step nodes."""
        if not isinstance(estimator, Estimator):
            if isinstance(estimator, Const) and estimator.value == "passthrough":
                return X if X is not None else TOP
            return self.unknown("unknown transformer", [X or TOP], node) if isinstance(X, Data) else TOP
        name = estimator.class_name
        if name == "Pipeline":
            current = X
            for _, step in estimator.steps:
                current = self.apply_transform(step, current, phase, y, node)
            if phase != "transform":
                self._record_fit(estimator, X)
            return current
        if name == "ColumnTransformer":
            return self._column_transformer(estimator, X, phase, y, node)
        if name == "FeatureUnion":
            outputs = [self.apply_transform(step, X, phase, y, node) for _, step in estimator.steps]
            datas = [o for o in outputs if isinstance(o, Data)]
            concat = self.emit(Operator.CONCATENATION, "FeatureUnion", parents_of(*datas), None, visible=False,
                               site=estimator.site, columns=["array"])
            return Data(DataKind.ARRAY, (concat,), UNKNOWN_SCHEMA, X.prov if isinstance(X, Data) else None, None,
                        frozenset().union(*(lineage_of(d) for d in datas)) if datas else frozenset(), False,
                        stats_of(*datas))
        if "resampler" in estimator.kinds and phase == "transform":
            return X if X is not None else TOP   # samplers only act while fitting
        return self._leaf_transform(estimator, X, phase, y, node)

    def _leaf_transform(self, estimator: Estimator, X: Value | None, phase: str, y: Value | None,
                        call: cst.Call) -> Value:
        name = estimator.class_name
        visible = mlinspect_name(name) is not None
        if isinstance(X, Data) and X.kind is DataKind.FRAME and name in MLINSPECT_COLUMN_PRESERVING:
            columns = list(X.schema.names)
        else:
            columns = ["array"]
        learns = _learns(estimator)
        node_ = self.emit(Operator.TRANSFORMER, f"{display_name(name)}: {phase}", parents_of(X), None,
                          TransformInfo(phase=Phase(phase), learns=learns, estimator=estimator,
                                        call=self.it.site(call)),
                          visible=visible, site=estimator.site, columns=columns)
        if phase != "transform":
            self._record_fit(estimator, X, node_)
        stats = stats_of(X) if X is not None else ()
        seen = estimator.fits[-1][0] if estimator.fits else None
        fit_node = estimator.fits[-1][1] if estimator.fits else node_
        # every transformer leaves its mark (ML301 compares the marks of train and test features); only
        # those that learn from the values (not just the category set) can leak (ML101)
        category_only = bool(estimator.info is not None and estimator.info.category_only)
        stats = stats + (Statistic(f"{name}.{phase}", seen if learns else None,
                                   lineage_of(X) if X is not None else frozenset(), fit_node, estimator,
                                   learns and not category_only and bool(estimator.fits)),)
        prov = X.prov if isinstance(X, Data) else None
        return Data(DataKind.ARRAY, (node_,), UNKNOWN_SCHEMA, prov, None, lineage_of(X) if X is not None else frozenset(),
                    False, stats)

    def _column_transformer(self, estimator: Estimator, X: Value | None, phase: str, y: Value | None,
                            node: cst.Call) -> Value:
        outputs: list[Value] = []
        used: list[str] = []
        for _, part, columns in estimator.branches:
            if isinstance(part, Const) and part.value == "drop":
                continue
            names = const_strings(columns)
            if names is not None and isinstance(X, Data) and X.kind is DataKind.FRAME:
                used.extend(names)
                projection = self.emit(Operator.PROJECTION, f"to {names}", parents_of(X), None,
                                       site=estimator.site, columns=names)
                branch_input: Value = Data(DataKind.FRAME, (projection,), X.schema.project(names), X.prov, None,
                                           X.schema.lineage_of(names), False, X.stats)
            elif isinstance(X, Data):
                branch_input = Data(DataKind.FRAME, X.nodes, UNKNOWN_SCHEMA, X.prov, None, lineage_of(X), False, X.stats)
            else:
                branch_input = TOP
            outputs.append(self.apply_transform(part, branch_input, phase, y, node))
        remainder = estimator.remainder
        if isinstance(X, Data) and remainder is not None and not (isinstance(remainder, Const)
                                                                  and remainder.value == "drop"):
            rest = [n for n in X.schema.names if n not in used]
            rest_input = Data(DataKind.FRAME, X.nodes, X.schema.project(rest) if not X.schema.open else UNKNOWN_SCHEMA,
                              X.prov, None, X.schema.lineage_of(rest) if not X.schema.open else lineage_of(X), False,
                              X.stats)
            outputs.append(self.apply_transform(remainder, rest_input, phase, y, node))
        datas = [o for o in outputs if isinstance(o, Data)]
        concat = self.emit(Operator.CONCATENATION, None, parents_of(*datas), None, site=estimator.site,
                           columns=["array"])
        if phase != "transform":
            self._record_fit(estimator, X)
        return Data(DataKind.ARRAY, (concat,), UNKNOWN_SCHEMA, X.prov if isinstance(X, Data) else None, None,
                    frozenset().union(*(lineage_of(d) for d in datas)) if datas else frozenset(), False,
                    stats_of(*datas))

    # predictions and scores ------------------------------------------------------------------
    def _transform_to_final(self, estimator: Estimator, X: Value | None, node: cst.Call) -> tuple[Estimator, Value]:
        if estimator.class_name == "Pipeline":
            steps = [s for _, s in estimator.steps if isinstance(s, Estimator)]
            current = X
            for step in steps[:-1]:
                current = self.apply_transform(step, current, "transform", None, node)
            return (steps[-1] if steps else estimator), current
        inner = _wrapped(estimator)
        if isinstance(inner, Estimator):
            return self._transform_to_final(inner, X, node)
        return estimator, X

    def predict(self, estimator: Estimator, X: Value | None, node: cst.Call, method: str) -> Value:
        final, features = self._transform_to_final(estimator, X, node)
        parents = parents_of(features) + ([final.estimator_node] if final.estimator_node is not None else [])
        node_ = self.emit(Operator.PREDICT, f"{display_name(final.class_name)}: {method}", parents, node,
                          EvaluationInfo(kind=EvaluationKind.PREDICT, estimator=final, method=method,
                                         features=_features(features), inputs=tuple(parents_of(X))), visible=False)
        prov = features.prov if isinstance(features, Data) else None
        return Data(DataKind.ARRAY, (node_,), UNKNOWN_SCHEMA, prov, None, frozenset(), False, ())

    def score(self, estimator: Estimator, X: Value | None, y: Value | None, node: cst.Call) -> Value:
        final, features = self._transform_to_final(estimator, X, node)
        visible = mlinspect_name(final.class_name) is not None
        test = self.emit(Operator.TEST_DATA, None, parents_of(features), node, ModelInputInfo(estimator=final),
                         visible=visible, columns=columns_of(features) if features is not None else ["array"])
        labels = self.emit(Operator.TEST_LABELS, None, parents_of(y), node, ModelInputInfo(estimator=final),
                           visible=visible, columns=columns_of(y) if y is not None else ["array"])
        parents = ([final.estimator_node] if final.estimator_node is not None else []) + [test, labels]
        score_node = self.emit(Operator.SCORE, display_name(final.class_name), parents, node,
                               EvaluationInfo(kind=EvaluationKind.SCORE, estimator=final, features=_features(features),
                                              inputs=tuple(parents_of(X))),
                               visible=visible, columns=[])
        return Statistic("score", features.prov if isinstance(features, Data) else None, frozenset(), score_node,
                         None, False)

    def resample(self, estimator: Estimator, X: Value | None, y: Value | None, node: cst.Call) -> Value:
        modules = estimator.info.modules if estimator.info is not None else ()
        oversampling = any(m.startswith(("imblearn.over_sampling", "imblearn.combine")) for m in modules)
        node_ = self.emit(Operator.TRANSFORMER, f"{display_name(estimator.class_name)}: fit_resample",
                          parents_of(X, y), None,
                          TransformInfo(phase=Phase.FIT_RESAMPLE, estimator=estimator,
                                        resampler=True, duplicates_rows=oversampling, call=self.it.site(node)),
                          visible=False, site=estimator.site)
        estimator.fits.append((X.prov if isinstance(X, Data) else None, node_))
        outputs = []
        for value in (X, y):
            if isinstance(value, Data):
                outputs.append(Data(value.kind, (node_,), value.schema, value.prov, value.name, lineage_of(value),
                                    False, value.stats))
            else:
                outputs.append(TOP)
        return Seq(tuple(outputs), SeqKind.TUPLE)

    # -- module functions -----------------------------------------------------------------------
    def _sk_split(self, function, args, kwargs, node) -> Value:
        outputs: list[Value] = []
        split_id: int | None = None
        for index, value in enumerate(args):
            if not isinstance(value, Data):
                outputs.extend([TOP, TOP])
                continue
            visible = index == 0 and value.kind is DataKind.FRAME
            split_id = self.it.plan.next_id if split_id is None else split_id   # the first train side's id
            train = self.emit(Operator.TRAIN_TEST_SPLIT, "(Train Data)", parents_of(value), node,
                              SplitInfo(side=SplitSide.TRAIN, split_of=split_id), visible=visible,
                              columns=columns_of(value), schema=value.schema)
            test = self.emit(Operator.TRAIN_TEST_SPLIT, "(Test Data)", parents_of(value), node,
                             SplitInfo(side=SplitSide.TEST, split_of=split_id), visible=visible,
                             columns=columns_of(value), schema=value.schema)
            for side, side_node in (("train", train), ("test", test)):
                prov = value.prov.split(split_id, side) if value.prov is not None else None
                side_node.provenance = prov
                outputs.append(Data(value.kind, (side_node,), value.schema, prov, value.name, value.reads,
                                    value.is_mask, value.stats))
        return Seq(tuple(outputs), SeqKind.LIST)

    def _sk_cross_validation(self, function, args, kwargs, node) -> Value:
        estimator = arg(args, kwargs, 0, "estimator")
        X = arg(args, kwargs, 1, "X")
        y = arg(args, kwargs, 2, "y")
        parents = parents_of(X, y)
        node_ = self.emit(Operator.SCORE, function.name, parents, node,
                          EvaluationInfo(kind=EvaluationKind.CROSS_VALIDATION,
                                         estimator=estimator if isinstance(estimator, Estimator) else None,
                                         features=_features(X), inputs=tuple(parents_of(X))), visible=False)
        # cross-validation fits clones of the estimator: the estimator itself stays unfitted
        if function.name == "cross_val_predict" and isinstance(X, Data):
            return Data(DataKind.ARRAY, (node_,), UNKNOWN_SCHEMA, X.prov, None, frozenset(), False, ())
        return Statistic(function.name, X.prov if isinstance(X, Data) else None, frozenset(), node_)

    def _sk_preprocessing(self, function, args, kwargs, node) -> Value:
        data = args[0] if args else kwargs.get("X", kwargs.get("y"))
        if not isinstance(data, Data):
            return TOP
        if function.name == "label_binarize":
            classes = kwargs.get("classes")
            description = f"label_binarize, classes: {python_value(classes)!r}" if classes is not None \
                else "label_binarize"
            node_ = self.emit(Operator.PROJECTION_MODIFY, description, parents_of(data), node,
                              visible=classes is not None, columns=["array"])
            return Data(DataKind.ARRAY, (node_,), UNKNOWN_SCHEMA, data.prov, None, lineage_of(data), False, data.stats)
        node_ = self.emit(Operator.TRANSFORMER, function.name, parents_of(data), node,
                          TransformInfo(phase=Phase.FIT_TRANSFORM, learns=function.learns_statistics),
                          visible=False, columns=["array"])
        stats = data.stats
        if function.learns_statistics:
            stats = stats + (Statistic(function.name, data.prov, lineage_of(data), node_),)
        return Data(DataKind.ARRAY, (node_,), UNKNOWN_SCHEMA, data.prov, None, lineage_of(data), False, stats)

    def _sk_metric(self, function, args, kwargs, node) -> Value:
        y_true = args[0] if args else None
        y_pred = args[1] if len(args) > 1 else None
        score = self.emit(Operator.SCORE, function.name, parents_of(y_true, y_pred), node,
                          EvaluationInfo(kind=EvaluationKind.METRIC,
                                         truth=y_true.prov if isinstance(y_true, Data) else None), visible=False)
        return Statistic(function.name, y_true.prov if isinstance(y_true, Data) else None, frozenset(), score,
                         None, False)

    def _sk_resample(self, function, args, kwargs, node) -> Value:
        replace = kwargs.get("replace", Const(True) if function.name == "resample" else Const(False))
        outputs = []
        for value in args:
            if isinstance(value, Data):
                node_ = self.emit(Operator.SELECTION, function.name, parents_of(value), node,
                                  SelectionInfo(filter=RowFilter.RESAMPLE,
                                                replace=isinstance(replace, Const) and replace.value is True),
                                  visible=False)
                outputs.append(Data(value.kind, (node_,), value.schema, value.prov, value.name, value.reads, False,
                                    value.stats))
            else:
                outputs.append(TOP)
        return outputs[0] if len(outputs) == 1 else Seq(tuple(outputs), SeqKind.LIST)

    _sk_shuffle = _sk_resample

    def _sk_dataset(self, function, args, kwargs, node) -> Value:
        node_ = self.emit(Operator.DATA_SOURCE, function.name, [], node, visible=False)
        data = Data(DataKind.FRAME if _truthy(kwargs.get("as_frame")) else DataKind.ARRAY, (node_,), UNKNOWN_SCHEMA,
                    Provenance.of_source(node_.id))
        if _truthy(kwargs.get("return_X_y")):
            target = Data(DataKind.ARRAY, (node_,), UNKNOWN_SCHEMA, Provenance.of_source(node_.id))
            return Seq((data, target), SeqKind.TUPLE)
        return TOP

    def _sk_clone(self, function, args, kwargs, node) -> Value:
        return clone_estimator(args[0]) if args and isinstance(args[0], Estimator) else TOP

    def _sk_column_selector(self, function, args, kwargs, node) -> Value:
        return TOP


def clone_estimator(value: Value) -> Value:
    """``sklearn.clone``: a fresh, unfitted copy, nested steps included."""
    if not isinstance(value, Estimator):
        return value
    return Estimator(value.qualname, value.info, dict(value.params), value.site,
                     [(name, clone_estimator(step)) for name, step in value.steps],
                     [(name, clone_estimator(part), columns) for name, part, columns in value.branches],
                     clone_estimator(value.remainder) if value.remainder is not None else None)


def _named_parts(value: Value | None) -> list[tuple[str, Value]]:
    parts = []
    if isinstance(value, Seq):
        for index, item in enumerate(value.items):
            if isinstance(item, Seq) and len(item.items) >= 2:
                parts.append((const_str(item.items[0]) or f"step{index}", item.items[1]))
    return parts


def _branches(value: Value | None) -> list[tuple[str, Value, Value]]:
    branches = []
    if isinstance(value, Seq):
        for index, item in enumerate(value.items):
            if isinstance(item, Seq) and len(item.items) >= 3:
                branches.append((const_str(item.items[0]) or f"branch{index}", item.items[1], item.items[2]))
    return branches


def _step_name(step: Value, index: int) -> str:
    return step.class_name.lower() if isinstance(step, Estimator) else f"step{index}"


def _is_predictor(estimator: Estimator) -> bool:
    kinds = estimator.kinds
    return bool(kinds & {"classifier", "regressor", "clusterer", "outlier_detector", "density"})


def _learns(estimator: Estimator) -> bool:
    return bool(estimator.info.learns_statistics) if estimator.info is not None else False


def _wrapped(estimator: Estimator) -> Value | None:
    if estimator.info is None or "meta" not in estimator.info.kinds or estimator.class_name in _COMPOSITES:
        return None
    for param in estimator.info.estimator_params or ("estimator",):
        value = estimator.params.get(param)
        if isinstance(value, Estimator):
            return value
    return None


def _features(X: Value | None) -> Features:
    """What the rules need to know about the features a model is fit or evaluated on."""
    if not isinstance(X, Data):
        return NO_FEATURES
    return Features(rows=X.prov, schema=X.schema if X.kind is DataKind.FRAME else None, statistics=X.stats,
                    lineage=lineage_of(X))


def _truthy(value: Value | None) -> bool:
    return isinstance(value, Const) and bool(value.value)
