"""Search dimensions read from files and tables: YAML and pandas ``DataFrame``.

``Space.from_yaml`` and ``Space.from_df`` build their space from the list of
dimensions these functions return.
"""

from __future__ import annotations

import numpy as np

from .dimensions import Categorical, Integer, Real


def dimensions_from_yaml(yml_path, namespace: str | None = None) -> list:
    """The dimensions a YAML file lists (see ``Space.from_yaml``).

    Parameters
    ----------
    yml_path : str, path or file object
        The YAML file.
    namespace : str or None, default=None
        Which namespace of a mapping to read; ``None`` reads the first.

    Returns
    -------
    dimensions : list of Dimension
        One per entry.
    """
    try:
        import yaml
    except ImportError as error:  # pragma: no cover - depends on the env
        raise ImportError(
            "Space.from_yaml needs PyYAML: pip install pyyaml (or the "
            "'yaml' extra of skopt-est)."
        ) from error
    if hasattr(yml_path, "read"):
        config = yaml.safe_load(yml_path)
    else:
        with open(yml_path, "rb") as f:
            config = yaml.safe_load(f)
    if isinstance(config, dict):
        if namespace is None:
            options = next(iter(config.values()))
        else:
            options = config[namespace]
    elif isinstance(config, list):
        options = config
    else:
        raise TypeError("YaML does not specify a list or dictionary.")
    kinds = {"real": Real, "integer": Integer, "categorical": Categorical}
    dimensions = []
    for option in options:
        if not isinstance(option, dict) or len(option) != 1:
            raise ValueError(
                f"from_yaml: {option!r} is not a one-key mapping such as "
                "{'Real': {'low': 0, 'high': 1}}."
            )
        (kind, arguments), = option.items()
        if str(kind).lower() not in kinds:
            raise ValueError(
                f"from_yaml: {kind!r} is not a dimension type; use Real, "
                "Integer or Categorical."
            )
        arguments = {str(k).lower(): v for k, v in (arguments or {}).items()}
        dimensions.append(kinds[str(kind).lower()](**arguments))
    return dimensions


def dimensions_from_df(df, priors: dict | None = None, bases: dict | None = None,
                       transforms: dict | None = None) -> list:
    """The dimensions of a ``DataFrame``'s columns (see ``Space.from_df``).

    Parameters
    ----------
    df : pandas.DataFrame
        The data.
    priors, bases, transforms : dict or None, default=None
        Column name to the ``prior``, ``base`` or ``transform`` of its
        dimension.

    Returns
    -------
    dimensions : list of Dimension
        One per column, named after it.
    """
    import pandas as pd

    priors, bases, transforms = priors or {}, bases or {}, transforms or {}
    dimensions = []
    for column in df.columns:
        series = df[column]
        options = {"transform": transforms.get(column),
                   "name": None if column is None else str(column)}
        if pd.api.types.is_float_dtype(series.dtype):
            kind = Real
        elif pd.api.types.is_integer_dtype(series.dtype):
            kind = Integer
        else:
            dimensions.append(Categorical(series.unique(), **options))
            continue
        if column in priors:
            options["prior"] = priors[column]
        if column in bases:
            options["base"] = bases[column]
        low, high = (np.asarray(v).item() for v in (series.min(), series.max()))
        dimensions.append(kind(low, high, **options))
    return dimensions
