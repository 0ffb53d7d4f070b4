"""Partial dependence: the surrogate's mean prediction with one or two
dimensions fixed, averaged over sample points of the others.

A surrogate reads points in the encoding it was fitted on: skopt_est's
optimizer fits on its model cube (``Space.to_unit``), scikit-optimize's on
``Space.transform``. ``_Encoding`` hides which, so the same functions take a
result of either library.
"""

from __future__ import annotations

import numpy as np

from ._axes import _dimension_grid


class _Encoding:
    """How the surrogate of ``space`` reads points, one column block per
    dimension."""

    def __init__(self, space):
        self.space = space
        self.unit_cube = hasattr(space, "to_unit")
        if self.unit_cube:
            self.slices = space.column_slices()
        else:
            widths = [d.transformed_size for d in space.dimensions]
            edges = np.concatenate([[0], np.cumsum(widths)]).astype(int)
            self.slices = [slice(a, b) for a, b in zip(edges[:-1], edges[1:])]

    def points(self, points) -> np.ndarray:
        """Rows of the surrogate's input for points of the space."""
        if self.unit_cube:
            return self.space.to_unit(list(points))
        return np.asarray(self.space.transform(list(points)), dtype=float)

    def values(self, index: int, values) -> np.ndarray:
        """The column block of dimension ``index`` for each value, shape
        ``(len(values), width)``."""
        dimension = self.space.dimensions[index]
        if self.unit_cube:
            block = dimension.to_unit(list(values))
        else:
            block = dimension.transform(list(values))
        return np.asarray(block, dtype=float).reshape(len(values), -1)


def predict_mean(model, rows: np.ndarray) -> np.ndarray:
    """The surrogate's prediction of the objective at model-input rows.

    skopt_est's Gaussian process answers in its standardised units through
    ``predict`` and in the objective's through ``predict_objective``;
    scikit-learn style regressors answer in the objective's through
    ``predict``.
    """
    if hasattr(model, "predict_objective"):
        return np.asarray(model.predict_objective(rows), dtype=float)
    prediction = model.predict(rows)
    if isinstance(prediction, tuple):
        prediction = prediction[0]
    return np.asarray(prediction, dtype=float).ravel()


def sample_rows(space, n_samples: int, random_state=None) -> np.ndarray:
    """``n_samples`` random points of ``space`` in the surrogate's encoding."""
    from sklearn.utils import check_random_state

    rng = check_random_state(random_state)
    if hasattr(space, "draw"):
        points = space.draw(n_samples, random_state=rng)
    else:
        points = space.rvs(n_samples=n_samples, random_state=rng)
    return _Encoding(space).points(points)


def _mean_over_samples(model, samples, fixed) -> float:
    """Mean prediction over ``samples`` with the column blocks of ``fixed``
    (a list of ``(slice, block row)``) overwritten."""
    rows = np.array(samples, dtype=float)
    for columns, block in fixed:
        rows[:, columns] = block
    return float(np.mean(predict_mean(model, rows)))


def partial_dependence_1D(space, model, i, samples, n_points=40):
    """Partial dependence of the surrogate on one dimension.

    For each of ``n_points`` values of dimension ``i`` (every category of a
    categorical; every integer when there are no more than ``n_points``),
    the surrogate's prediction is averaged over ``samples`` with dimension
    ``i`` set to that value.

    Parameters
    ----------
    space : Space
        The search space of the result (skopt_est's or scikit-optimize's).
    model : regressor
        The surrogate, for example ``result.models[-1]``.
    i : int
        Index of the dimension.
    samples : ndarray of shape (n_samples, n_columns)
        Points averaged over, in the encoding the surrogate reads
        (``space.to_unit`` for skopt_est's spaces, ``space.transform`` for
        scikit-optimize's).
    n_points : int, default=40
        Number of values of dimension ``i``.

    Returns
    -------
    xi : ndarray of shape (n_values,)
        The values of dimension ``i`` (a category's index for a categorical).
    yi : ndarray of shape (n_values,)
        The mean prediction at each of them.
    """
    encoding = _Encoding(space)
    values, positions = _dimension_grid(space.dimensions[i], n_points)
    blocks = encoding.values(i, values)
    columns = encoding.slices[i]
    yi = [_mean_over_samples(model, samples, [(columns, b)]) for b in blocks]
    return positions, np.asarray(yi)


def partial_dependence_2D(space, model, i, j, samples, n_points=40):
    """Partial dependence of the surrogate on two dimensions.

    Parameters
    ----------
    space : Space
        The search space of the result (skopt_est's or scikit-optimize's).
    model : regressor
        The surrogate, for example ``result.models[-1]``.
    i : int
        Index of the dimension along the rows of ``zi`` (the y axis).
    j : int
        Index of the dimension along the columns of ``zi`` (the x axis).
    samples : ndarray of shape (n_samples, n_columns)
        Points averaged over, in the encoding the surrogate reads.
    n_points : int, default=40
        Number of values of each dimension.

    Returns
    -------
    xi : ndarray of shape (n_j,)
        The values of dimension ``j`` (a category's index for a categorical).
    yi : ndarray of shape (n_i,)
        The values of dimension ``i``.
    zi : ndarray of shape (n_i, n_j)
        ``zi[a, b]``: the mean prediction with dimension ``i`` at ``yi[a]``
        and dimension ``j`` at ``xi[b]``.
    """
    encoding = _Encoding(space)
    values_j, xi = _dimension_grid(space.dimensions[j], n_points)
    values_i, yi = _dimension_grid(space.dimensions[i], n_points)
    blocks_j = encoding.values(j, values_j)
    blocks_i = encoding.values(i, values_i)
    columns_i, columns_j = encoding.slices[i], encoding.slices[j]
    zi = np.array(
        [
            [
                _mean_over_samples(model, samples, [(columns_i, bi), (columns_j, bj)])
                for bj in blocks_j
            ]
            for bi in blocks_i
        ]
    )
    return xi, yi, zi


def partial_dependence(
    space,
    model,
    i,
    j=None,
    sample_points=None,
    n_samples=250,
    n_points=40,
    x_eval=None,
    *,
    random_state=None,
):
    """Partial dependence of the surrogate on dimension ``i`` (and ``j``).

    Parameters
    ----------
    space : Space
        The search space of the result (skopt_est's or scikit-optimize's).
    model : regressor
        The surrogate, for example ``result.models[-1]``.
    i : int
        Index of the first dimension.
    j : int or None, default=None
        Index of the second dimension; the 1-D dependence on ``i`` when None.
    sample_points : ndarray of shape (n_samples, n_columns) or None, default=None
        Points averaged over, in the encoding the surrogate reads; drawn at
        random when None (and ``x_eval`` is None).
    n_samples : int, default=250
        Number of random points drawn when ``sample_points`` and ``x_eval``
        are None.
    n_points : int, default=40
        Number of values of each dimension.
    x_eval : list or None, default=None
        One point of the space: the other dimensions are held at it instead
        of being averaged over random points.
    random_state : int, RandomState instance or None, default=None
        Seeds the random points.

    Returns
    -------
    xi, yi : ndarray
        With ``j=None``: the values of dimension ``i`` and the mean
        prediction at each (as ``partial_dependence_1D``).
    xi, yi, zi : ndarray
        With ``j`` given: as ``partial_dependence_2D(space, model, i, j, ...)``.
    """
    if sample_points is None:
        if x_eval is None:
            sample_points = sample_rows(space, n_samples, random_state)
        else:
            sample_points = _Encoding(space).points([list(x_eval)])
    if j is None:
        return partial_dependence_1D(space, model, i, sample_points, n_points)
    return partial_dependence_2D(space, model, i, j, sample_points, n_points)
