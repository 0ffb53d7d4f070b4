"""The gradient of ``k(x, X_train)`` in ``x`` for scikit-learn kernels.

One function serves scikit-learn's kernel objects and those of
``kernels.py`` alike. Sums, products, powers and the stationary kernels a
Bayesian optimizer uses (RBF, Matern with nu 0.5, 1.5, 2.5 or inf, rational
quadratic, dot product, constant, white) have closed forms; any other kernel
gets central finite differences.
"""

from __future__ import annotations

import numpy as np
from sklearn.gaussian_process import kernels as sk

_STEP = 1e-6


def kernel_gradient_x(kernel, x, X_train) -> np.ndarray:
    """``d k(x, X_train[i]) / d x`` for every training row.

    Parameters
    ----------
    kernel : sklearn.gaussian_process.kernels.Kernel
        A kernel (fitted hyperparameters).
    x : ndarray of shape (n_features,)
        The point.
    X_train : ndarray of shape (n_train, n_features)
        The other arguments.

    Returns
    -------
    gradient : ndarray of shape (n_train, n_features)
        Row ``i`` is the gradient of ``k(x, X_train[i])``.
    """
    x = np.asarray(x, dtype=float).ravel()
    X_train = np.atleast_2d(np.asarray(X_train, dtype=float))
    rule = _RULES.get(type(kernel)) or _rule_of(kernel)
    return rule(kernel, x, X_train)


def _rule_of(kernel):
    for klass, rule in _RULES.items():
        if isinstance(kernel, klass):
            return rule
    return _finite_differences


def _values(kernel, x, X_train) -> np.ndarray:
    return kernel(x[None, :], X_train)[0]


def _finite_differences(kernel, x, X_train) -> np.ndarray:
    gradient = np.empty(X_train.shape)
    for j in range(len(x)):
        step = _STEP * max(1.0, abs(x[j]))
        up, down = x.copy(), x.copy()
        up[j] += step
        down[j] -= step
        gradient[:, j] = (_values(kernel, up, X_train) - _values(kernel, down, X_train))
        gradient[:, j] /= 2 * step
    return gradient


def _scaled_difference(kernel, x, X_train):
    """``(x - X_train) / length_scale ** 2`` and the scaled distance ``r``."""
    scale = np.asarray(kernel.length_scale, dtype=float)
    diff = (x - X_train) / scale**2
    r = np.sqrt(np.sum(((x - X_train) / scale) ** 2, axis=1))
    return diff, r


def _rbf(kernel, x, X_train):
    diff, r = _scaled_difference(kernel, x, X_train)
    return -np.exp(-0.5 * r**2)[:, None] * diff


def _matern(kernel, x, X_train):
    diff, r = _scaled_difference(kernel, x, X_train)
    nu = kernel.nu
    if nu == 0.5:
        # k = exp(-r), dk/dx = -exp(-r) diff / r (0 where x meets a row)
        factor = np.where(r > 0, -np.exp(-r) / np.where(r > 0, r, 1.0), 0.0)
    elif nu == 1.5:
        factor = -3.0 * np.exp(-np.sqrt(3.0) * r)
    elif nu == 2.5:
        factor = -(5.0 / 3.0) * (1 + np.sqrt(5.0) * r) * np.exp(-np.sqrt(5.0) * r)
    elif np.isinf(nu):
        factor = -np.exp(-0.5 * r**2)
    else:
        return _finite_differences(kernel, x, X_train)
    return factor[:, None] * diff


def _rational_quadratic(kernel, x, X_train):
    alpha, scale = kernel.alpha, float(kernel.length_scale)
    squared = np.sum((x - X_train) ** 2, axis=1)
    base = 1 + squared / (2 * alpha * scale**2)
    return -(base ** (-alpha - 1))[:, None] * (x - X_train) / scale**2


def _dot_product(kernel, x, X_train):
    return X_train.copy()


def _zero(kernel, x, X_train):
    return np.zeros(X_train.shape)


def _sum(kernel, x, X_train):
    return kernel_gradient_x(kernel.k1, x, X_train) + kernel_gradient_x(
        kernel.k2, x, X_train
    )


def _product(kernel, x, X_train):
    k1, k2 = _values(kernel.k1, x, X_train), _values(kernel.k2, x, X_train)
    return (
        kernel_gradient_x(kernel.k1, x, X_train) * k2[:, None]
        + k1[:, None] * kernel_gradient_x(kernel.k2, x, X_train)
    )


def _exponentiation(kernel, x, X_train):
    base = _values(kernel.kernel, x, X_train)
    power = kernel.exponent
    return (power * base ** (power - 1))[:, None] * kernel_gradient_x(
        kernel.kernel, x, X_train
    )


# checked in this order: subclasses (Matern is an RBF) before their parents
_RULES = {
    sk.Matern: _matern,
    sk.RBF: _rbf,
    sk.RationalQuadratic: _rational_quadratic,
    sk.DotProduct: _dot_product,
    sk.ConstantKernel: _zero,
    sk.WhiteKernel: _zero,
    sk.Sum: _sum,
    sk.Product: _product,
    sk.Exponentiation: _exponentiation,
}
