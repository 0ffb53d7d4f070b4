"""scikit-learn's kernels with a ``gradient_x`` method, and a Hamming kernel
for categorical inputs (scikit-optimize's ``skopt.learning.gaussian_process.
kernels`` names).

Sums, products and powers of these kernels are these kernels again, so a
composite such as ``ConstantKernel() * Matern()`` has ``gradient_x`` too.
``GaussianProcessRegressor`` does not need them: its gradients work on
scikit-learn's own kernels as well.
"""

from __future__ import annotations

import numpy as np
from sklearn.gaussian_process import kernels as sk

from ._gradient import kernel_gradient_x

__all__ = [
    "ConstantKernel",
    "DotProduct",
    "ExpSineSquared",
    "Exponentiation",
    "HammingKernel",
    "Kernel",
    "Matern",
    "Product",
    "RBF",
    "RationalQuadratic",
    "Sum",
    "WhiteKernel",
]


class Kernel(sk.Kernel):
    """Base of the kernels with ``gradient_x``; their sums, products and
    powers stay in this module."""

    def __add__(self, b):
        return Sum(self, b if isinstance(b, sk.Kernel) else ConstantKernel(b))

    def __radd__(self, b):
        return Sum(b if isinstance(b, sk.Kernel) else ConstantKernel(b), self)

    def __mul__(self, b):
        return Product(self, b if isinstance(b, sk.Kernel) else ConstantKernel(b))

    def __rmul__(self, b):
        return Product(b if isinstance(b, sk.Kernel) else ConstantKernel(b), self)

    def __pow__(self, b):
        return Exponentiation(self, b)

    def gradient_x(self, x, X_train):
        """The gradient of ``k(x, X_train[i])`` in ``x``, for every ``i``.

        Parameters
        ----------
        x : array-like of shape (n_features,)
            The point.
        X_train : array-like of shape (n_train, n_features)
            The other arguments.

        Returns
        -------
        gradient : ndarray of shape (n_train, n_features)
            One row per training point.
        """
        return kernel_gradient_x(self, x, X_train)


class RBF(Kernel, sk.RBF):
    """scikit-learn's ``RBF`` with ``gradient_x``."""


class Matern(Kernel, sk.Matern):
    """scikit-learn's ``Matern`` with ``gradient_x``."""


class RationalQuadratic(Kernel, sk.RationalQuadratic):
    """scikit-learn's ``RationalQuadratic`` with ``gradient_x``."""


class ExpSineSquared(Kernel, sk.ExpSineSquared):
    """scikit-learn's ``ExpSineSquared`` with ``gradient_x`` (by finite
    differences)."""


class ConstantKernel(Kernel, sk.ConstantKernel):
    """scikit-learn's ``ConstantKernel`` with ``gradient_x`` (zero)."""


class WhiteKernel(Kernel, sk.WhiteKernel):
    """scikit-learn's ``WhiteKernel`` with ``gradient_x`` (zero)."""


class DotProduct(Kernel, sk.DotProduct):
    """scikit-learn's ``DotProduct`` with ``gradient_x``."""


class Sum(Kernel, sk.Sum):
    """scikit-learn's ``Sum`` with ``gradient_x``."""


class Product(Kernel, sk.Product):
    """scikit-learn's ``Product`` with ``gradient_x``."""


class Exponentiation(Kernel, sk.Exponentiation):
    """scikit-learn's ``Exponentiation`` with ``gradient_x``."""


class HammingKernel(sk.StationaryKernelMixin, sk.NormalizedKernelMixin, Kernel):
    """``k(a, b) = exp(-sum_j length_scale_j * [a_j != b_j])`` for categorical
    (label- or one-hot-encoded) inputs.

    Parameters
    ----------
    length_scale : float or array-like of shape (n_features,), default=1.0
        Weight of a mismatch in each feature (one value: the same for all).
    length_scale_bounds : pair of float, default=(1e-5, 1e5)
        Bounds of ``length_scale`` when it is fitted.
    """

    def __init__(self, length_scale=1.0, length_scale_bounds=(1e-5, 1e5)):
        self.length_scale = length_scale
        self.length_scale_bounds = length_scale_bounds

    @property
    def anisotropic(self) -> bool:
        """Whether each feature has its own length scale."""
        return np.iterable(self.length_scale) and len(self.length_scale) > 1

    @property
    def hyperparameter_length_scale(self):
        """The ``length_scale`` hyperparameter."""
        n = len(self.length_scale) if self.anisotropic else 1
        return sk.Hyperparameter(
            "length_scale", "numeric", self.length_scale_bounds, n
        )

    def __call__(self, X, Y=None, eval_gradient=False):
        """The kernel matrix, and its gradient in the log length scales.

        Parameters
        ----------
        X : array-like of shape (n_samples_X, n_features)
            Left argument.
        Y : array-like of shape (n_samples_Y, n_features) or None, default=None
            Right argument; None means ``X``.
        eval_gradient : bool, default=False
            Also return the gradient (only when ``Y`` is None).

        Returns
        -------
        K : ndarray of shape (n_samples_X, n_samples_Y)
            The kernel matrix.
        K_gradient : ndarray of shape (n_samples_X, n_samples_X, n_dims)
            Returned when ``eval_gradient`` is True.
        """
        X = np.atleast_2d(X)
        scale = np.asarray(self.length_scale, dtype=float).ravel()
        if self.anisotropic and X.shape[1] != len(scale):
            raise ValueError(
                f"HammingKernel has {len(scale)} length scales for "
                f"{X.shape[1]} features."
            )
        if Y is not None and eval_gradient:
            raise ValueError("The gradient is only available when Y is None.")
        Y = X if Y is None else np.atleast_2d(Y)
        mismatch = (X[:, None, :] != Y[None, :, :]).astype(float)
        K = np.exp(-np.sum(mismatch * scale, axis=2))
        if not eval_gradient:
            return K
        if self.hyperparameter_length_scale.fixed:
            return K, np.empty((len(X), len(X), 0))
        # d K / d log(l) = l * d K / d l = -l * mismatch * K
        if self.anisotropic:
            gradient = -K[:, :, None] * mismatch * scale
        else:
            gradient = -(K * mismatch.sum(axis=2) * scale[0])[:, :, None]
        return K, gradient
