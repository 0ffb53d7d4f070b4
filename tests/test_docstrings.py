"""numpydoc validation of every public name's docstring."""

import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

import skopt_est  # noqa: E402

# Checks not enforced, as in scikit-learn's own docstring test: See Also and
# Examples sections on every method, extended summaries, and the summary-line
# rules numpydoc applies to class docstrings built from shared fragments.
IGNORED = {"GL08", "SA01", "EX01", "ES01", "RT02", "SS05", "SS06", "GL01", "GL02",
           "PR09", "RT05", "YD01", "SA04"}


def _public_objects():
    for name in skopt_est.__all__:
        obj = getattr(skopt_est, name)
        if not inspect.isclass(obj):
            continue
        yield f"skopt_est.{name}", obj
        for method_name, method in inspect.getmembers(obj):
            if method_name.startswith("_") or not callable(method):
                continue
            if method_name in ("get_params", "set_params", "get_metadata_routing",
                               "set_fit_request", "set_partial_fit_request",
                               "set_score_request"):
                continue
            defined_here = any(method_name in vars(klass)
                               for klass in obj.__mro__
                               if klass.__module__.startswith("skopt_est"))
            if defined_here:
                yield f"skopt_est.{name}.{method_name}", method


@pytest.mark.parametrize("qualname, obj", list(_public_objects()),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_public_docstring_is_valid_numpydoc(qualname, obj):
    result = numpydoc_validate.validate(qualname)
    errors = [(code, message) for code, message in result["errors"]
              if code not in IGNORED]
    assert not errors, "\n".join(f"{code}: {message}" for code, message in errors)
