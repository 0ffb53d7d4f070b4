"""Data sets for the command line: scikit-learn's bundled ones, or a CSV file.

``load_dataset`` returns a ``Dataset``: ``X`` of shape ``(n_samples,
n_features)`` (float, or object when the CSV has text columns), ``y`` of
shape ``(n_samples,)``, the task, and which columns are numeric and which
categorical, so that the caller can build the matching preprocessing. A CSV
is read with the standard library (pandas is not a dependency): a column is
numeric when every non-empty cell parses as a float, and empty numeric cells
become NaN.
"""

from __future__ import annotations

import csv
import dataclasses
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads with the data, not with the parser
    import numpy as np

__all__ = ["BUNDLED", "Dataset", "DatasetError", "load_dataset", "read_features"]

# name -> (scikit-learn loader, task)
BUNDLED = {
    "diabetes": ("load_diabetes", "regression"),
    "breast_cancer": ("load_breast_cancer", "classification"),
    "digits": ("load_digits", "classification"),
    "iris": ("load_iris", "classification"),
    "wine": ("load_wine", "classification"),
}


class DatasetError(ValueError):
    """Bad data given on the command line: one line a user can act on."""


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Features, target and what the command line needs to know about them."""

    name: str
    X: np.ndarray
    y: np.ndarray
    task: str
    feature_names: list[str]
    numeric_columns: list[int]
    categorical_columns: list[int]
    target: str = "target"
    task_reason: str = ""

    @property
    def n_samples(self) -> int:
        """Number of rows."""
        return int(self.X.shape[0])

    @property
    def n_features(self) -> int:
        """Number of columns of ``X`` before encoding."""
        return int(self.X.shape[1])


def load_dataset(data: str, target: str | None = None, task: str = "auto") -> Dataset:
    """Load a bundled data set by name, or a CSV file with a ``target`` column.

    Parameters
    ----------
    data : str
        One of ``BUNDLED`` or the path of a CSV file with a header row.
    target : str or None, default=None
        The target column of a CSV file; required for a CSV, refused otherwise.
    task : {'auto', 'regression', 'classification'}, default='auto'
        For a CSV, ``'auto'`` is classification when the target has text
        values, or numeric values that scikit-learn's ``type_of_target``
        calls ``'binary'``, or ``'multiclass'`` with at most
        ``MAX_AUTO_CLASSES`` (20) distinct values; otherwise regression. A
        bundled data set has its own task.

    Returns
    -------
    dataset : Dataset

    Raises
    ------
    DatasetError
        For a missing file, an unknown column, an empty file or a target that
        does not fit the task.
    """
    if data in BUNDLED:
        return _load_bundled(data, target, task)
    if not os.path.isfile(data):
        if os.path.exists(data):
            raise DatasetError(f"--data {data!r} is not a file; give a CSV file.")
        raise DatasetError(
            f"--data {data!r}: no such file, and not a bundled data set; use one of "
            f"{', '.join(BUNDLED)} or the path of a CSV file."
        )
    return _load_csv(data, target, task)


def _load_bundled(name: str, target: str | None, task: str) -> Dataset:
    import numpy as np
    import sklearn.datasets

    loader, own_task = BUNDLED[name]
    if target is not None:
        raise DatasetError(
            f"--target only applies to a CSV file; {name!r} has its own target."
        )
    if task not in ("auto", own_task):
        raise DatasetError(
            f"--task {task} does not fit {name!r}, a {own_task} data set; "
            f"use --task auto or --task {own_task}."
        )
    bunch = getattr(sklearn.datasets, loader)()
    n_features = bunch.data.shape[1]
    names = [str(n) for n in getattr(bunch, "feature_names", range(n_features))]
    return Dataset(
        name=name,
        X=np.asarray(bunch.data, dtype=float),
        y=np.asarray(bunch.target),
        task=own_task,
        feature_names=names,
        numeric_columns=list(range(n_features)),
        categorical_columns=[],
        task_reason=f"{name!r} is a bundled {own_task} data set",
    )


def _read_csv(path: str) -> tuple[list[str], list[list[str]]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            rows = [
                row for row in csv.reader(file) if any(cell.strip() for cell in row)
            ]
    except UnicodeDecodeError as exc:
        raise DatasetError(f"--data {path!r} is not a UTF-8 text CSV file.") from exc
    except csv.Error as exc:
        raise DatasetError(f"--data {path!r} is not a valid CSV file ({exc}).") from exc
    except OSError as exc:
        raise DatasetError(f"--data {path!r} cannot be read ({exc.strerror}).") from exc
    if not rows:
        raise DatasetError(f"--data {path!r} is empty; it needs a header row and data.")
    header = [cell.strip() for cell in rows[0]]
    body = rows[1:]
    if not body:
        raise DatasetError(f"--data {path!r} has a header but no data rows.")
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise DatasetError(
                f"--data {path!r}: row {line} has {len(row)} fields, the header "
                f"has {len(header)}."
            )
    return header, body


def _as_float(cells: list[str]) -> np.ndarray | None:
    """The column as floats (empty cells NaN), or None if a cell is not a number."""
    import numpy as np

    values = np.empty(len(cells))
    for i, cell in enumerate(cells):
        cell = cell.strip()
        if not cell:
            values[i] = np.nan
            continue
        try:
            values[i] = float(cell)
        except ValueError:
            return None
    return values


def _load_csv(path: str, target: str | None, task: str) -> Dataset:
    import numpy as np

    header, body = _read_csv(path)
    columns = ", ".join(header)
    if target is None:
        raise DatasetError(
            f"--target COLUMN is required with a CSV file; the columns of {path!r} "
            f"are: {columns}."
        )
    if target not in header:
        raise DatasetError(
            f"--target {target!r} is not a column of {path!r}; the columns are: "
            f"{columns}."
        )
    if len(header) < 2:
        raise DatasetError(
            f"--data {path!r} has no feature columns besides the target."
        )
    target_index = header.index(target)
    target_cells = [row[target_index].strip() for row in body]
    if any(not cell for cell in target_cells):
        raise DatasetError(
            f"--target {target!r} has empty cells; drop those rows from {path!r}."
        )
    y_numeric = _as_float(target_cells)
    if task == "auto":
        task, reason = _infer_task(target, target_cells, y_numeric)
    else:
        reason = f"--task {task}"
    if task == "regression":
        if y_numeric is None:
            raise DatasetError(
                f"--target {target!r} is not numeric, so it cannot be a regression "
                "target; use --task classification."
            )
        y = y_numeric
    else:
        y = np.asarray(target_cells, dtype=object)
        if y_numeric is not None and np.all(y_numeric == np.round(y_numeric)):
            y = y_numeric.astype(int)

    feature_names, features, numeric, categorical = [], [], [], []
    for index, name in enumerate(header):
        if index == target_index:
            continue
        cells = [row[index] for row in body]
        values = _as_float(cells)
        position = len(features)
        if values is None:
            categorical.append(position)
            features.append(np.asarray([cell.strip() for cell in cells], dtype=object))
        else:
            numeric.append(position)
            features.append(values)
        feature_names.append(name)
    dtype = object if categorical else float
    X = np.column_stack([np.asarray(column, dtype=dtype) for column in features])
    return Dataset(
        name=os.path.basename(path),
        X=X,
        y=y,
        task=task,
        feature_names=feature_names,
        numeric_columns=numeric,
        categorical_columns=categorical,
        target=target,
        task_reason=reason,
    )


# a numeric target with at most this many distinct integer values is a set
# of class labels under --task auto; more (counts, prices in whole units)
# is a quantity
MAX_AUTO_CLASSES = 20


def _infer_task(target: str, cells: list[str], y_numeric) -> tuple[str, str]:
    """``--task auto``: the task of a target column, and why, in words."""
    from sklearn.utils.multiclass import type_of_target

    if y_numeric is None:
        return "classification", f"--target {target!r} has text values"
    kind = type_of_target(y_numeric)
    n_values = len(set(y_numeric.tolist()))
    if kind == "binary" or (kind == "multiclass" and n_values <= MAX_AUTO_CLASSES):
        return "classification", (
            f"--target {target!r} has {n_values} distinct integer values "
            f"(type_of_target: {kind!r}); use --task regression to override"
        )
    detail = "non-integer" if kind == "continuous" else f"{n_values} distinct integer"
    return "regression", (
        f"--target {target!r} has {detail} values (type_of_target: {kind!r}); "
        "use --task classification to override"
    )


def read_features(
    path: str, feature_names: list[str], categorical: list[str]
) -> np.ndarray:
    """The feature columns of a CSV file, by name, in the order ``feature_names``.

    The file needs a header row naming at least every feature column, in any
    order; other columns (the target, an id) are ignored. Cells are parsed
    as ``load_dataset`` parses them: numeric columns as floats (an empty
    cell is NaN), ``categorical`` columns as stripped text.

    Parameters
    ----------
    path : str
        The CSV file.
    feature_names : list of str
        The columns, in the order of the returned array.
    categorical : list of str
        Which of them hold text.

    Returns
    -------
    X : ndarray of shape (n_rows, len(feature_names))
        Float, or object when some columns are categorical.

    Raises
    ------
    DatasetError
        For an unreadable file, a missing column or text in a numeric column.
    """
    import numpy as np

    header, body = _read_csv(path)
    missing = [name for name in feature_names if name not in header]
    if missing:
        raise DatasetError(
            f"{path!r} lacks the column(s) {', '.join(missing)} that the model was "
            f"trained on; it needs: {', '.join(feature_names)}."
        )
    columns = []
    for name in feature_names:
        cells = [row[header.index(name)] for row in body]
        if name in categorical:
            columns.append(np.asarray([cell.strip() for cell in cells], dtype=object))
            continue
        values = _as_float(cells)
        if values is None:
            raise DatasetError(
                f"column {name!r} of {path!r} has text, but the model was trained "
                "on numbers there."
            )
        columns.append(values)
    dtype = object if categorical else float
    return np.column_stack([np.asarray(column, dtype=dtype) for column in columns])
