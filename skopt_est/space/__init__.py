"""Search dimensions and spaces, a superset of scikit-optimize's ``skopt.space``.

``skopt_est.space.space`` holds the dimensions and ``Space``;
``skopt_est.space.transformers`` the transformers behind their
``transform`` methods, as in scikit-optimize's layout.
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
