"""The error tree at the package surface, the one wording of parameter refusals, and the
estimator contract (``get_params``, ``NotFittedError``, ``find_themes``'s signature)."""

from __future__ import annotations

import inspect
import math
import re

import pytest

import listenlens
from listenlens import errors
from listenlens.embeddings import EmbeddingCache, HashingEmbedder
from listenlens.ingest.limits import Limits
from listenlens.outputs import OutputFolder
from listenlens.themes import ThemeModel, find_themes
from listenlens.validation import check_choice, check_number

WORDING = re.compile(r"^\S.* must be .+; got .+$")


def test_every_error_class_is_exported_from_the_package() -> None:
    classes = [getattr(errors, n) for n in errors.__all__ if isinstance(getattr(errors, n), type)]
    assert errors.AnalysisError in classes and errors.ParameterError in classes
    for cls in classes:
        assert getattr(listenlens, cls.__name__) is cls
        assert cls.__name__ in listenlens.__all__


def test_error_codes_are_distinct() -> None:
    codes = [getattr(errors, n).code for n in errors.__all__
             if isinstance(getattr(errors, n), type)]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("make", [
    lambda: HashingEmbedder(dim=4),
    lambda: EmbeddingCache("unused", block_size=0),
    lambda: Limits(max_units=0),
    lambda: Limits(max_units=True),
    lambda: check_choice("period", "week", ("month", "quarter")),
    lambda: check_number("sample", math.nan, low=0, high=1),
    lambda: check_number("n_runs", 2.5, low=1, whole=True),
])
def test_parameter_refusals_share_one_wording_and_class(make) -> None:
    with pytest.raises(errors.ParameterError) as info:
        make()
    assert isinstance(info.value, ValueError) and info.value.code == "LL001"
    assert WORDING.match(str(info.value)), str(info.value)


def test_requirements_are_worded_from_the_bounds() -> None:
    cases = [({"low": 0, "low_open": True}, "positive"),
             ({"low": 0, "low_open": True, "whole": True}, "a positive whole number"),
             ({"low": 1}, "at least 1"), ({"high": 2, "high_open": True}, "less than 2"),
             ({"low": -1, "high": 1}, "in [-1, 1]"),
             ({"low": 0, "high": 1, "low_open": True}, "in (0, 1]")]
    for bounds, requirement in cases:
        with pytest.raises(errors.ParameterError, match=re.escape(f"x must be {requirement};")):
            check_number("x", -5 if "high" not in bounds or "low" in bounds else 9, **bounds)
    assert check_number("x", 3, low=1, whole=True) == 3
    assert check_choice("x", "a", ("a", "b")) == "a"


def test_theme_model_refuses_bad_parameters_in_one_wording(tmp_path) -> None:
    corpus = listenlens.load("corpora/examples/riverside", progress=False)
    for bad in ({"granularity": "medium"}, {"temperature": 0}, {"merge_threshold": 2.0},
                {"context": "sometimes"}):
        with pytest.raises(ValueError, match=f"^{next(iter(bad))}.* must be "):
            ThemeModel(embedder=HashingEmbedder(), **bad).fit(corpus)


def test_theme_model_raises_not_fitted_before_fit() -> None:
    model = ThemeModel()
    for name in ("themes_", "embeddings_", "assignments_", "table_", "clusters_", "timings_"):
        with pytest.raises(errors.NotFittedError, match=f"no {name}; call fit"):
            getattr(model, name)
        assert not hasattr(model, name)
    with pytest.raises(AttributeError) as info:
        model.no_such_thing  # noqa: B018
    assert not isinstance(info.value, errors.NotFittedError)


def test_output_folder_used_before_prepare_raises_not_fitted(tmp_path) -> None:
    folder = OutputFolder(tmp_path / "run")
    with pytest.raises(errors.NotFittedError, match="call prepare"):
        folder.commit()
    folder.abort()  # nothing staged: nothing to remove, no error
    assert not (tmp_path / "run").exists()


def test_get_params_returns_every_constructor_parameter() -> None:
    model = ThemeModel(codebook="codes.csv", granularity="fine", seed=3)
    params = model.get_params()
    assert set(params) == set(inspect.signature(ThemeModel).parameters)
    assert params["codebook"] == "codes.csv" and params["granularity"] == "fine"
    assert ThemeModel(**params).get_params() == params
    assert "codebook='codes.csv'" in repr(model)


def test_find_themes_takes_exactly_the_theme_model_parameters() -> None:
    model = inspect.signature(ThemeModel).parameters
    shortcut = dict(inspect.signature(find_themes).parameters)
    assert next(iter(shortcut)) == "corpus"
    shortcut.pop("corpus")
    assert list(shortcut) == list(model)
    for name, p in model.items():
        assert (shortcut[name].default, shortcut[name].kind, shortcut[name].annotation) == (
            p.default, p.kind, p.annotation), name
