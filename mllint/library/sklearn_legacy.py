"""Constructors of old scikit-learn classes whose signature or behaviour changed (``knowledge.aliases``).

``Imputer(strategy="median", axis=0)`` is a ``SimpleImputer`` whose positional parameters are in
another order; with ``axis=1`` it imputed each row from the row itself, which learns nothing
from other rows: that case (or an axis we cannot read) is unknown, not a column statistic.
The splitters of ``sklearn.cross_validation`` were iterables of folds: ``KFold(len(X),
n_folds=5)`` is at once the splitter and its ``split(X)`` (``for tr, te in kf:``).
"""
from __future__ import annotations

from ..domains.data_ops import parents_of
from ..domains.values import TOP, Const, Data, Estimator, Folds, Value
from ..knowledge.aliases import ITERABLE_SPLITTERS, OLD_PARAMS
from ..knowledge.sklearn_api import EstimatorInfo
from ..plan import Operator, SplitInfo, SplitSide
from .context import CallContext
from .registration import Family, HandlerTable

handlers = HandlerTable()

#: Old parameters whose value changes what ``fit`` learns: a value other than this one is unknown.
_BEHAVIOUR_PARAMS: dict[str, Value] = {"axis": Const(0)}


def _old_params(names: tuple[str, ...], args: list[Value], kwargs: dict[str, Value]) -> dict[str, Value]:
    params = dict(zip(names, args))
    params.update(kwargs)
    return params


@handlers.register(Family.ESTIMATOR, "construct_legacy")
def construct_legacy(ctx: CallContext, info: EstimatorInfo, args: list[Value], kwargs: dict[str, Value]) -> Value:
    params = _old_params(OLD_PARAMS[ctx.name], args, kwargs)
    for name, expected in _BEHAVIOUR_PARAMS.items():
        if name in params and params[name] != expected:
            return TOP
    kept = {name: value for name, value in params.items() if name in info.params}
    return Estimator(ctx.name, info, kept, ctx.site)


@handlers.register(Family.ESTIMATOR, "construct_iterable_folds")
def construct_iterable_folds(ctx: CallContext, info: EstimatorInfo, args: list[Value],
                             kwargs: dict[str, Value]) -> Value:
    params = _old_params(ITERABLE_SPLITTERS[ctx.name], args, kwargs)
    rows = next((v for k, v in params.items() if k in ("y", "labels", "test_fold") and isinstance(v, Data)), None)
    node = ctx.emit(Operator.TRAIN_TEST_SPLIT, f"{ctx.name.rsplit('.', 1)[-1]}(...)", parents_of(rows),
                    SplitInfo(side=SplitSide.FOLDS, cross_validation=True), visible=False)
    return Folds(node.id)
