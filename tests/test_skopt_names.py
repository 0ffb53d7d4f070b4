"""Every public name of scikit-optimize 0.10 resolves under skopt_est.

The list below is written out by hand from scikit-optimize 0.10.2: the names
each of its public modules defines (its API reference lists a subset). Each
must exist at the same module path under ``skopt_est``. Where scikit-optimize
is installed, the signatures are compared too: its parameters, in order, must
be ours (we may add parameters after them), and its defaults must be ours
except for the deliberate differences listed here and in
docs/user_guide/migrating.rst.
"""

import importlib
import inspect

import numpy as np
import pytest

SKOPT_NAMES = {
    "skopt": [
        "BayesSearchCV", "Optimizer", "Space", "acquisition", "benchmarks",
        "callbacks", "dummy_minimize", "dump", "expected_minimum",
        "expected_minimum_random_sampling", "forest_minimize", "gbrt_minimize",
        "gp_minimize", "learning", "load", "optimizer", "plots", "sampler",
        "show_versions", "space",
    ],
    "skopt.acquisition": [
        "gaussian_acquisition_1D", "gaussian_ei", "gaussian_lcb", "gaussian_mes",
        "gaussian_pi", "gaussian_pvrs",
    ],
    "skopt.benchmarks": [
        "bench1", "bench1_with_time", "bench2", "bench3", "bench4", "bench5",
        "branin", "hart6",
    ],
    "skopt.callbacks": [
        "CheckpointSaver", "DeadlineStopper", "DeltaXStopper", "DeltaYStopper",
        "EarlyStopper", "HollowIterationsStopper", "StdStopper",
        "ThresholdStopper", "TimerCallback", "VerboseCallback", "check_callback",
    ],
    "skopt.learning": [
        "ExtraTreesRegressor", "GaussianProcessRegressor",
        "GradientBoostingQuantileRegressor", "RandomForestRegressor",
    ],
    "skopt.learning.gaussian_process": ["GaussianProcessRegressor"],
    "skopt.learning.gaussian_process.kernels": [
        "ConstantKernel", "DotProduct", "ExpSineSquared", "Exponentiation",
        "HammingKernel", "Kernel", "Matern", "Product", "RBF",
        "RationalQuadratic", "Sum", "WhiteKernel",
    ],
    "skopt.optimizer": [
        "Optimizer", "base_minimize", "dummy_minimize", "forest_minimize",
        "gbrt_minimize", "gp_minimize",
    ],
    "skopt.plots": [
        "partial_dependence", "partial_dependence_1D", "partial_dependence_2D",
        "plot_convergence", "plot_evaluations", "plot_gaussian_process",
        "plot_histogram", "plot_objective", "plot_objective_2D", "plot_regret",
    ],
    "skopt.sampler": [
        "Grid", "Halton", "Hammersly", "InitialPointGenerator", "Lhs", "Sobol",
    ],
    "skopt.space": [
        "Categorical", "CategoricalEncoder", "Dimension", "Identity", "Integer",
        "LabelEncoder", "LogN", "Normalize", "Pipeline", "Real", "Space",
        "StringEncoder", "check_dimension",
    ],
    "skopt.space.space": [
        "Categorical", "Dimension", "Integer", "Real", "Space", "check_dimension",
    ],
    "skopt.space.transformers": [
        "CategoricalEncoder", "Identity", "LabelEncoder", "LogN", "Normalize",
        "Pipeline", "StringEncoder", "Transformer",
    ],
    "skopt.utils": [
        "check_dimension_names", "check_list_types", "check_x_in_space",
        "cook_estimator", "cook_initial_point_generator", "create_result",
        "dimensions_aslist", "dump", "eval_callbacks", "expected_minimum",
        "expected_minimum_random_sampling", "has_gradients", "is_2Dlistlike",
        "is_listlike", "load", "normalize_dimensions", "point_asdict",
        "point_aslist", "use_named_args",
    ],
}

# public methods scikit-optimize's classes have and ours deliberately lack
MISSING_METHODS = {
    # fills the direction-number tables of its own Sobol engine; ours draws
    # from scipy.stats.qmc.Sobol, which keeps its tables to itself
    ("skopt.sampler", "Sobol", "init"),
}

# defaults that differ on purpose, (name, parameter), in whichever module
DELIBERATE_DEFAULTS = {
    # GridSearchCV's default: a failed fit scores NaN and the search goes on
    ("BayesSearchCV", "error_score"),
    # joblib reads None as 1
    ("BayesSearchCV", "n_jobs"),
    # None picks the same colour map ('viridis_r')
    ("plot_objective", "cmap"),
    # None picks the dimension's default transform, the one skopt names
    ("Real.set_transformer", "transform"),
    ("Integer.set_transformer", "transform"),
    ("Categorical.set_transformer", "transform"),
}


def _ours(module: str):
    return importlib.import_module(module.replace("skopt", "skopt_est", 1))


def _theirs(module: str):
    pytest.importorskip("skopt")
    return importlib.import_module(module)


def _attribute(module, name):
    value = getattr(module, name, None)
    if value is None:  # a sub-module not imported by its package
        value = importlib.import_module(f"{module.__name__}.{name}")
    return value


CASES = [(module, name) for module, names in SKOPT_NAMES.items() for name in names]


@pytest.mark.parametrize("module, name", CASES)
def test_every_public_name_resolves(module, name):
    ours = _attribute(_ours(module), name)
    assert ours is not None


def test_the_list_is_scikit_optimizes_whole_public_surface():
    # what each installed module defines (or exports) and the list leaves out
    pytest.importorskip("skopt")
    left_out = []
    for module, names in SKOPT_NAMES.items():
        theirs = _theirs(module)
        exported = getattr(theirs, "__all__", ())
        defined = {
            name for name, value in vars(theirs).items()
            if not name.startswith("_")
            and (inspect.isfunction(value) or inspect.isclass(value))
            and value.__module__.startswith(module)
        }
        if isinstance(exported, list | tuple):
            defined |= set(exported)
        left_out += [f"{module}.{name}" for name in defined - set(names)]
    assert left_out == []


def _parameters(function) -> list[inspect.Parameter] | None:
    try:
        return list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature
        return None


def _same_default(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(a, b)
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return a is b or a == b


def _signature_differences(label, theirs, ours) -> list[str]:
    mine, skopts = _parameters(ours), _parameters(theirs)
    if mine is None or skopts is None:
        return []
    differences = []
    by_name = {p.name: p for p in mine}
    for index, parameter in enumerate(skopts):
        if parameter.kind is parameter.VAR_POSITIONAL:
            if index >= len(mine) or mine[index].kind is not parameter.VAR_POSITIONAL:
                differences.append(f"{label}: *{parameter.name} at {index}")
            continue
        if parameter.kind is parameter.VAR_KEYWORD:
            if not any(p.kind is p.VAR_KEYWORD for p in mine):
                differences.append(f"{label}: **{parameter.name}")
            continue
        if parameter.kind is parameter.KEYWORD_ONLY:
            match = by_name.get(parameter.name)
        else:  # positional: same name at the same place
            match = mine[index] if index < len(mine) else None
            if match is not None and match.name != parameter.name:
                match = None
        if match is None:
            differences.append(f"{label}: parameter {parameter.name!r} at {index}")
            continue
        deliberate = (label, parameter.name) in DELIBERATE_DEFAULTS
        if not deliberate and not _same_default(parameter.default, match.default):
            differences.append(
                f"{label}: {parameter.name}={match.default!r}, skopt "
                f"{parameter.default!r}"
            )
    return differences


@pytest.mark.parametrize("module, name", CASES)
def test_signatures_and_defaults_match_scikit_optimize(module, name):
    theirs = _attribute(_theirs(module), name)
    ours = _attribute(_ours(module), name)
    if inspect.ismodule(theirs):
        return
    differences = _signature_differences(name, theirs, ours)
    if inspect.isclass(theirs):
        for method_name, method in vars(theirs).items():
            if method_name.startswith("_") or not callable(method):
                continue
            if (module, name, method_name) in MISSING_METHODS:
                continue
            label = f"{name}.{method_name}"
            if not hasattr(ours, method_name):
                differences.append(f"{label} is missing")
                continue
            differences += _signature_differences(
                label, method, getattr(ours, method_name))
    assert differences == []
