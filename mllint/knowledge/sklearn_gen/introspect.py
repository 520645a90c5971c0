"""Reading one class or function: signatures, method presence, estimator tags."""
from __future__ import annotations

import inspect
from typing import Any, Callable, Iterator

from .tables import METHODS


def _required_arg_examples() -> dict[str, Any]:
    """Values for required constructor arguments, used only to build an
    instance whose tags can be read when sklearn's own test generator fails."""
    from sklearn.linear_model import LogisticRegression

    return {
        "estimator": LogisticRegression(),
        "steps": [("clf", LogisticRegression())],
        "categorical_features": [0],
    }


def _param_names(func: Callable[..., Any] | None, *, drop_self: bool) -> list[str]:
    """Parameter names in order; ``*args`` / ``**kwargs`` keep their stars."""
    if func is None:
        return []
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    names = []
    for i, p in enumerate(sig.parameters.values()):
        if drop_self and i == 0 and p.name == "self":
            continue
        if p.kind is p.VAR_POSITIONAL:
            names.append("*" + p.name)
        elif p.kind is p.VAR_KEYWORD:
            names.append("**" + p.name)
        else:
            names.append(p.name)
    return names


def _required(func: Callable[..., Any] | None, param: str) -> bool:
    if func is None:
        return False
    try:
        p = inspect.signature(func).parameters.get(param)
    except (TypeError, ValueError):
        return False
    return p is not None and p.default is inspect.Parameter.empty and p.kind not in (
        p.VAR_POSITIONAL,
        p.VAR_KEYWORD,
    )


def _conditional_method_type() -> type | None:
    try:
        from sklearn.utils._available_if import _AvailableIfDescriptor
    except ImportError:  # pragma: no cover - very old sklearn
        return None
    return _AvailableIfDescriptor


def _methods(cls: type) -> tuple[list[str], list[str]]:
    """(methods present, those of them gated by ``available_if``)."""
    gated_type = _conditional_method_type()
    present, gated = [], []
    for m in METHODS:
        if not hasattr(cls, m):
            continue
        present.append(m)
        static = inspect.getattr_static(cls, m, None)
        if gated_type is not None and isinstance(static, gated_type):
            gated.append(m)
    return present, gated


def _candidate_instances(cls: type) -> Iterator[Any]:
    """Instances to read tags from: default-constructed, sklearn's own test
    instances, then required arguments filled from ``_required_arg_examples``."""
    try:
        yield cls()
    except Exception:
        pass
    try:
        from sklearn.utils._test_common.instance_generator import _construct_instances

        yield from _construct_instances(cls)
    except Exception:
        pass
    examples = _required_arg_examples()
    kwargs = {}
    for p in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if p.name in examples and (p.default is inspect.Parameter.empty or p.default is None):
            kwargs[p.name] = examples[p.name]
        elif p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            return
    try:
        yield cls(**kwargs)
    except Exception:
        pass


class TagFacts:
    """The few tag facts we use, from either tag API."""

    def __init__(self, requires_fit: bool, requires_y: bool, estimator_type: str | None) -> None:
        self.requires_fit = requires_fit
        self.requires_y = requires_y
        self.estimator_type = estimator_type


def _tag_facts(instance: Any) -> TagFacts | None:
    try:
        from sklearn.utils import get_tags  # scikit-learn >= 1.6
    except ImportError:
        get_tags = None
    if get_tags is not None:
        try:
            tags = get_tags(instance)
        except Exception:
            return None
        return TagFacts(bool(tags.requires_fit), bool(tags.target_tags.required), tags.estimator_type)
    try:  # scikit-learn < 1.6: dictionary tags
        tags = instance._get_tags()
    except Exception:
        return None
    return TagFacts(
        bool(tags.get("requires_fit", True)) and not tags.get("stateless", False),
        bool(tags.get("requires_y", False)),
        getattr(instance, "_estimator_type", None),
    )
