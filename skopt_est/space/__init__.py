"""Search dimensions and spaces, a superset of scikit-optimize's ``skopt.space``.

One module per job: ``dimensions`` holds ``Real``, ``Integer``,
``Categorical`` and ``check_dimension``; ``space`` holds ``Space`` and
``normalize_dimensions`` (and re-exports the dimensions, so
``skopt_est.space.space.Real`` works as ``skopt.space.space.Real`` does);
``encoding`` the optimizer's unit-cube maps; ``io`` YAML and ``DataFrame``
input; ``transformers`` the transformers behind the ``transform`` methods.
"""

from .space import (
    Categorical,
    Dimension,
    Integer,
    Real,
    Space,
    check_dimension,
    normalize_dimensions,
)
from .transformers import (
    CategoricalEncoder,
    Identity,
    LabelEncoder,
    LogN,
    Normalize,
    Pipeline,
    StringEncoder,
)

__all__ = [
    "Categorical",
    "CategoricalEncoder",
    "Dimension",
    "Identity",
    "Integer",
    "LabelEncoder",
    "LogN",
    "Normalize",
    "Pipeline",
    "Real",
    "Space",
    "StringEncoder",
    "check_dimension",
    "normalize_dimensions",
]
