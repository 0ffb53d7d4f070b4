"""scikit-learn's Gaussian process regressor, with a fitted noise level that
predictions leave out, and gradients of the mean and standard deviation."""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_solve
from sklearn.gaussian_process import GaussianProcessRegressor as _SkGPR
from sklearn.gaussian_process import kernels as sk
from sklearn.utils import check_array

from ._gradient import kernel_gradient_x
from .kernels import RBF, ConstantKernel, WhiteKernel

__all__ = ["GaussianProcessRegressor"]


def _has_white(kernel) -> bool:
    if isinstance(kernel, sk.WhiteKernel):
        return True
    if isinstance(kernel, sk.Sum):
        return _has_white(kernel.k1) or _has_white(kernel.k2)
    return False


def _split_noise(kernel):
    """``kernel`` with each WhiteKernel of its sums set to 0, and the noise
    level taken out (None when there is none)."""
    if isinstance(kernel, sk.WhiteKernel):
        return WhiteKernel(noise_level=0.0, noise_level_bounds="fixed"), float(
            kernel.noise_level
        )
    if isinstance(kernel, sk.Sum):
        k1, noise1 = _split_noise(kernel.k1)
        k2, noise2 = _split_noise(kernel.k2)
        noises = [n for n in (noise1, noise2) if n is not None]
        return type(kernel)(k1, k2), (sum(noises) if noises else None)
    return kernel, None


class GaussianProcessRegressor(_SkGPR):
    """scikit-learn's ``GaussianProcessRegressor`` with a ``noise`` option and
    gradients in ``x`` (scikit-optimize's ``skopt.learning`` version).

    ``noise='gaussian'`` adds a ``WhiteKernel`` whose level is fitted;
    ``noise=<number>`` adds one fixed at that level. Either way the noise
    is part of the fit but not of the predictions: ``predict`` gives the
    posterior of the noise-free function (its level is in ``noise_``).

    Parameters
    ----------
    kernel : Kernel or None, default=None
        Covariance; None means ``ConstantKernel(1.0, 'fixed') * RBF(1.0,
        'fixed')`` (scikit-learn's default). Left unchanged by ``fit``.
    alpha : float or ndarray, default=1e-10
        Added to the kernel matrix's diagonal.
    optimizer : str, callable or None, default='fmin_l_bfgs_b'
        Hyperparameter optimiser, as in scikit-learn.
    n_restarts_optimizer : int, default=0
        Extra optimiser starts.
    normalize_y : bool, default=False
        Standardise the targets before fitting.
    copy_X_train : bool, default=True
        Store a copy of the training points.
    random_state : int, RandomState instance or None, default=None
        Seed of the optimiser's restarts.
    noise : 'gaussian', float or None, default=None
        Noise model, see above.

    Attributes
    ----------
    noise_ : float or None
        The noise level of the fit (None without ``noise``).
    K_inv_ : ndarray of shape (n_train, n_train)
        Inverse of the training kernel matrix (noise included).
    y_train_mean_, y_train_std_ : float
        The targets' standardisation (0 and 1 without ``normalize_y``).

    Examples
    --------
    >>> import numpy as np
    >>> from skopt_est.learning import GaussianProcessRegressor
    >>> X = np.linspace(0, 1, 8)[:, None]
    >>> gp = GaussianProcessRegressor(noise="gaussian").fit(X, np.sin(3 * X[:, 0]))
    >>> mean, std, d_mean, d_std = gp.predict(
    ...     [[0.5]], return_std=True, return_mean_grad=True, return_std_grad=True)
    >>> d_mean.shape
    (1,)
    """

    def __init__(
        self,
        kernel=None,
        alpha=1e-10,
        optimizer="fmin_l_bfgs_b",
        n_restarts_optimizer=0,
        normalize_y=False,
        copy_X_train=True,
        random_state=None,
        noise=None,
    ):
        super().__init__(
            kernel=kernel,
            alpha=alpha,
            optimizer=optimizer,
            n_restarts_optimizer=n_restarts_optimizer,
            normalize_y=normalize_y,
            copy_X_train=copy_X_train,
            random_state=random_state,
        )
        self.noise = noise

    def _fit_kernel(self):
        kernel = self.kernel
        if kernel is None:
            kernel = ConstantKernel(1.0, constant_value_bounds="fixed") * RBF(
                1.0, length_scale_bounds="fixed"
            )
        if self.noise is None or _has_white(kernel):
            return kernel
        if isinstance(self.noise, str):
            if self.noise != "gaussian":
                raise ValueError(
                    f"noise={self.noise!r} must be 'gaussian', a number or None."
                )
            return kernel + WhiteKernel()
        return kernel + WhiteKernel(
            noise_level=float(self.noise), noise_level_bounds="fixed"
        )

    def fit(self, X, y):
        """Fit the hyperparameters and the posterior.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training points.
        y : array-like of shape (n_samples,)
            Targets.

        Returns
        -------
        self : GaussianProcessRegressor
            The fitted model.
        """
        given = self.kernel
        self.kernel = self._fit_kernel()
        try:
            super().fit(X, y)
        finally:
            self.kernel = given
        self.noise_ = None
        if self.noise is not None:
            self.kernel_, self.noise_ = _split_noise(self.kernel_)
        self.K_inv_ = cho_solve((self.L_, True), np.eye(len(self.L_)))
        y = np.asarray(y, dtype=float)
        if self.normalize_y:
            std = float(np.std(y))
            self.y_train_mean_ = float(np.mean(y))
            self.y_train_std_ = std if std > 10 * np.finfo(float).eps else 1.0
        else:
            self.y_train_mean_, self.y_train_std_ = 0.0, 1.0
        return self

    def predict(
        self,
        X,
        return_std=False,
        return_cov=False,
        return_mean_grad=False,
        return_std_grad=False,
    ):
        """Posterior mean at ``X``, with what else is asked.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Points; one row when a gradient is asked.
        return_std : bool, default=False
            Also return the posterior standard deviation.
        return_cov : bool, default=False
            Also return the posterior covariance (not with ``return_std``).
        return_mean_grad : bool, default=False
            Also return the mean's gradient in ``x``.
        return_std_grad : bool, default=False
            Also return the standard deviation's gradient (needs
            ``return_std`` and ``return_mean_grad``).

        Returns
        -------
        mean : ndarray of shape (n_samples,)
            Posterior mean.
        std : ndarray of shape (n_samples,)
            When ``return_std``.
        cov : ndarray of shape (n_samples, n_samples)
            When ``return_cov``.
        mean_grad : ndarray of shape (n_features,)
            When ``return_mean_grad``.
        std_grad : ndarray of shape (n_features,)
            When ``return_std_grad``.
        """
        if return_std_grad and not (return_std and return_mean_grad):
            raise ValueError(
                "return_std_grad needs return_std=True and return_mean_grad=True."
            )
        if not return_mean_grad:
            return super().predict(X, return_std=return_std, return_cov=return_cov)
        if return_cov:
            raise ValueError("return_mean_grad cannot go with return_cov.")
        X = check_array(X)
        if X.shape[0] != 1:
            raise ValueError(
                f"Gradients are for one point at a time; X has {X.shape[0]} rows."
            )
        if not hasattr(self, "X_train_"):
            raise ValueError("Fit the model before asking for gradients.")
        mean, std = super().predict(X, return_std=True)
        mean_grad, std_grad = self._gradients(X[0], std[0])
        if return_std_grad:
            return mean, std, mean_grad, std_grad
        if return_std:
            return mean, std, mean_grad
        return mean, mean_grad

    def _gradients(self, x: np.ndarray, std: float):
        """Gradients of the posterior mean and standard deviation at ``x``."""
        k_grad = kernel_gradient_x(self.kernel_, x, self.X_train_)
        alpha = np.asarray(self.alpha_).reshape(len(self.X_train_))
        mean_grad = k_grad.T @ alpha * self.y_train_std_
        if std <= 0:
            return mean_grad, np.zeros_like(x)
        k_trans = self.kernel_(x[None, :], self.X_train_)[0]
        # var(x) = k(x, x) - k_*^T K^-1 k_*, so d var = d k(x, x) - 2 k_*^T K^-1 dk_*
        d_var = -2 * (k_trans @ self.K_inv_) @ k_grad + self._prior_variance_grad(x)
        # std = y_std * sqrt(var)  =>  d std = y_std**2 * d var / (2 std)
        return mean_grad, self.y_train_std_**2 * d_var / (2 * std)

    def _prior_variance_grad(self, x: np.ndarray) -> np.ndarray:
        """Gradient of ``k(x, x)``: zero for a stationary kernel."""
        if self.kernel_.is_stationary():
            return np.zeros_like(x)
        gradient = np.empty_like(x)
        for j in range(len(x)):
            step = 1e-6 * max(1.0, abs(x[j]))
            up, down = x.copy(), x.copy()
            up[j] += step
            down[j] -= step
            gradient[j] = (
                self.kernel_.diag(up[None, :])[0] - self.kernel_.diag(down[None, :])[0]
            ) / (2 * step)
        return gradient
