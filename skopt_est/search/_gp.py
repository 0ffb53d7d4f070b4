"""Gaussian-process surrogate: Matérn-5/2 ARD kernel plus noise, MAP-fitted.

Shapes: ``X`` is ``(n_samples, n_columns)`` in the model cube of
``skopt_est.space`` (all columns in ``[0, 1]``); ``y`` is ``(n_samples,)``,
the values to minimise. The GP works on standardised, power-warped outputs
(``OutputWarp``); ``predict`` answers in those units too, which is what the
acquisition functions expect.

Hyperparameters are fitted by scikit-learn's ``GaussianProcessRegressor``
(kernel ``ConstantKernel * Matern(nu=2.5, ARD) + WhiteKernel``) with a custom
``optimizer`` callable that adds a log-prior to the marginal likelihood, so the
fit is a MAP estimate rather than maximum likelihood. With 10-40 points the
plain likelihood often picks tiny length scales (interpolating noise) or a
large noise term (a flat model); the priors below (Optuna's) keep length
scales near the width of the cube, signal variance near the standardised
variance, and noise small unless the data insist. Which GP and why:
scikit-learn's, as DESIGN §1.3 asks unless a GP of our own is clearly better.
Only the objective handed to L-BFGS-B is ours (``_MAPObjective``, 5x faster;
tested equal to scikit-learn's).

The prior mean is a constant fitted with the kernel (its generalised least
squares estimate, profiled out of the likelihood), not the zero of the
standardised outputs that scikit-learn's and Optuna's GPs assume. A search
crowds its points around the best region, so the plain average of ``y`` is
pulled towards the good values; the GLS mean discounts correlated
(crowded) points and sits near the typical value of the unexplored space.
With a zero mean the far corners of the cube look as good as that optimistic
average with the full prior variance on top, and in 6-d a fifth of all
proposals went to corners with nothing there. Geometric-mean regret at 40
evaluations, 30 seeds, log-EI, before the output warp below was added
(benchmarks/bench_search.py problems): Branin 9.0e-5 zero mean, 6.4e-5
fitted; Hartmann6 6.1e-2 zero mean, 3.7e-3 fitted.

Kernel hyperparameters are warm-started from the previous fit, which cuts
the L-BFGS-B iterations of a refit with one more point to a handful.

Posterior means, standard deviations and their gradients in ``x`` are
computed here in numpy from the fitted hyperparameters (a Cholesky factor of
the training covariance), because the acquisition optimizer needs
``d_mu/dx`` and ``d_sigma/dx``, which ``GaussianProcessRegressor.predict``
does not give, and because constant-liar fantasies only need a new factor,
not a new hyperparameter fit.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats
from scipy.linalg import cho_solve, cholesky, solve_triangular
from scipy.optimize import minimize, minimize_scalar
from scipy.spatial.distance import cdist
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

_SQRT5 = np.sqrt(5.0)
_JITTER = 1e-10
_LENGTH_SCALE_BOUNDS = (1e-3, 1e3)
_CONSTANT_BOUNDS = (1e-3, 1e2)
_NOISE_BOUNDS = (1e-6, 1.0)
_DEFAULT_THETA = (1.0, 0.5, 1e-3)  # constant, length scale, noise
_FIXED_NOISE_MAX = 1e3  # a noise held fixed may exceed the fitted one's bound


def _log_prior(theta: np.ndarray) -> tuple[float, np.ndarray]:
    """Log-prior of ``theta = log([constant, *length_scales, noise])`` and gradient.

    * constant ``c`` (signal variance of standardised y): Gamma(2, 1),
      ``log c - c``, mode 1.
    * length scale ``l``: ``-0.1 * (l**2 + l**-2)``, flat-ish on ``[0.3, 3]``
      and steep outside; penalises both interpolating wiggles and dimensions
      switched off too eagerly.
    * noise variance ``s``: Gamma(1.1, 30), ``0.1 log s - 30 s``, mode 3e-3 of
      the standardised variance; evaluations with real noise (CV scores) still
      raise it through the likelihood.
    """
    log_c, log_l, log_s = theta[0], theta[1:-1], theta[-1]
    c, s = np.exp(log_c), np.exp(log_s)
    l2, inv_l2 = np.exp(2 * log_l), np.exp(-2 * log_l)
    value = (log_c - c) + np.sum(-0.1 * (l2 + inv_l2)) + (0.1 * log_s - 30.0 * s)
    grad = np.concatenate([[1.0 - c], -0.2 * (l2 - inv_l2), [0.1 - 30.0 * s]])
    return float(value), grad


class _MAPObjective:
    """``-(log marginal likelihood + log prior)`` and its gradient in ``theta``.

    The same function as scikit-learn's
    ``GaussianProcessRegressor.log_marginal_likelihood(theta, eval_gradient=True)``
    for this kernel (``tests/search/test_gp.py`` checks they agree) plus
    ``_log_prior``; with ``fit_mean`` the likelihood is that of ``y`` minus
    its GLS constant mean at each ``theta`` (the profile likelihood). Written
    for this one kernel in numpy: the pairwise squared differences are
    computed once per fit instead of once per evaluation, and no kernel
    objects are cloned. At 40 points in 6-d, one BLAS thread, on the
    loaded 2-core benchmark machine: scikit-learn's ``log_marginal_likelihood``
    5.5 ms per evaluation with gradient, this 1.1 ms; a fit takes 20-40
    evaluations.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, fit_mean: bool = False):
        self.y = y
        self.fit_mean = fit_mean
        n_samples = len(y)
        # (n * n, d): one matrix product gives r**2 and the length-scale gradient
        self.sq_diff = ((X[:, None, :] - X[None, :, :]) ** 2).reshape(n_samples**2, -1)
        self.identity = np.eye(len(y))

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        c, inv_l2, s = np.exp(theta[0]), np.exp(-2 * theta[1:-1]), np.exp(theta[-1])
        n_samples = len(self.y)
        correlation, slope = _matern52(
            (self.sq_diff @ inv_l2).reshape(n_samples, n_samples), with_slope=True
        )
        K_signal = c * correlation
        K = K_signal + (s + _JITTER) * self.identity
        try:
            L = cholesky(K, lower=True, check_finite=False)
        except np.linalg.LinAlgError:
            return np.inf, np.zeros_like(theta)
        # the constant mean is profiled out (its GLS estimate at this theta);
        # at that optimum d lml / d mean = 0, so the theta-gradient below, taken
        # with the mean held fixed, is the profile likelihood's gradient
        if self.fit_mean:
            mean, alpha = _gls_mean_and_weights(L, self.y)
        else:
            mean, alpha = 0.0, cho_solve((L, True), self.y, check_finite=False)
        residual = self.y - mean
        lml = (
            -0.5 * residual @ alpha
            - np.log(np.diag(L)).sum()
            - 0.5 * len(self.y) * np.log(2 * np.pi)
        )
        # d lml / d theta_k = 0.5 tr((alpha alpha^T - K^-1) dK/dtheta_k)
        W = np.outer(alpha, alpha) - cho_solve((L, True), self.identity)
        # dK/dlog l_d = c (5/3) (1 + m) exp(-m) (x_d - x'_d)**2 / l_d**2
        G = W * ((5.0 / 3.0) * c * slope)
        grad = np.empty_like(theta)
        grad[0] = 0.5 * np.sum(W * K_signal)
        grad[1:-1] = 0.5 * (G.ravel() @ self.sq_diff) * inv_l2
        grad[-1] = 0.5 * s * np.trace(W)
        log_prior, prior_grad = _log_prior(theta)
        return -(lml + log_prior), -(grad + prior_grad)


class _MAPOptimizer:
    """``GaussianProcessRegressor(optimizer=...)`` callable: L-BFGS-B on
    ``_MAPObjective`` (scikit-learn's own ``obj_func`` is not called).

    Starts from the warm-start ``initial_theta`` and, when that differs, from
    the default hyperparameters too, and keeps the better optimum.
    """

    def __init__(
        self,
        objective: _MAPObjective,
        default_theta: np.ndarray,
        maxiter: int,
        try_default: bool,
        fixed_noise: float | None = None,
    ):
        self.objective = objective
        self.default_theta = default_theta
        self.maxiter = maxiter
        self.try_default = try_default
        self.fixed_noise = fixed_noise

    def __call__(self, obj_func, initial_theta, bounds):
        initial_theta = np.array(initial_theta, dtype=float)
        if self.fixed_noise is not None:
            # equal bounds: L-BFGS-B holds the noise (theta's last entry) still
            bounds = np.array(bounds, dtype=float)
            bounds[-1] = initial_theta[-1] = np.log(self.fixed_noise)
        starts = [initial_theta]
        if self.try_default and not np.allclose(initial_theta, self.default_theta):
            starts.append(np.clip(self.default_theta, bounds[:, 0], bounds[:, 1]))
        best = None
        for start in starts:
            result = minimize(
                self.objective,
                start,
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options={"maxiter": self.maxiter},
            )
            if best is None or result.fun < best.fun:
                best = result
        return best.x, best.fun


class OutputWarp:
    """Monotone map of objective values to the GP's units: standardise,
    Yeo-Johnson, standardise again.

    The power ``lmbda`` is the maximum-likelihood one for normal transformed
    values, so a long tail (a few diverged fits in a search, Branin's
    300-unit walls, Hartmann6's narrow deep well) is drawn in and the GP
    models the region that matters instead of stretching to fit the
    outliers. HEBO (Cowen-Rivers et al., 2022) warps its outputs the same
    way. Geometric-mean regret at 40 evaluations, 30 seeds, default
    ``gp_hedge`` (benchmarks/bench_search.py; Branin / Hartmann6 / mixed):
    plain standardisation 7.5e-5 / 5.5e-3 / 1.4e-5, warped 8.3e-5 / 9.4e-4 /
    2.9e-6.

    Parameters
    ----------
    power : bool, default=True
        Fit the Yeo-Johnson power; False holds it at 1, which makes the map
        affine (``slope``): the time model of 'EIps' and 'PIps' needs the
        mean and spread of log-times in seconds, not in warped units.
    """

    def __init__(self, power: bool = True):
        self.power = power

    power = True  # what warps pickled before it existed read

    def slope(self) -> float:
        """Objective units per GP unit; the map must be affine (power 1)."""
        if self.lmbda_ != 1.0:
            raise ValueError("slope() needs an affine warp (power=False).")
        return self.std_ * self.spread_

    def fit(self, y: np.ndarray) -> OutputWarp:
        """Fit the centring, scale and power to the values ``y``."""
        y = np.asarray(y, dtype=float)
        self.center_ = float(np.mean(y))
        spread = float(np.std(y))
        self.spread_ = spread if spread > 1e-12 else 1.0
        u = (y - self.center_) / self.spread_
        fit_power = self.power and spread > 1e-12
        self.lmbda_ = _yeo_johnson_lambda(u) if fit_power else 1.0
        warped = stats.yeojohnson(u, self.lmbda_)
        self.mean_ = float(np.mean(warped))
        std = float(np.std(warped))
        self.std_ = std if std > 1e-12 else 1.0
        return self

    def transform(self, y) -> np.ndarray:
        """Values in the GP's units, same shape as ``y``."""
        u = (np.asarray(y, dtype=float) - self.center_) / self.spread_
        return (stats.yeojohnson(u, self.lmbda_) - self.mean_) / self.std_

    def inverse_transform(self, z) -> np.ndarray:
        """Values in original units of GP-unit values ``z`` (``transform``'s
        inverse; clipped where ``z`` lies beyond what the power can reach)."""
        w = np.asarray(z, dtype=float) * self.std_ + self.mean_
        lmbda = self.lmbda_
        u = np.empty_like(w)
        positive = w >= 0
        wp, wn = w[positive], w[~positive]
        if abs(lmbda) < 1e-12:
            u[positive] = np.expm1(wp)
        else:
            u[positive] = np.power(np.maximum(wp * lmbda + 1.0, 1e-300), 1 / lmbda) - 1
        if abs(lmbda - 2.0) < 1e-12:
            u[~positive] = -np.expm1(-wn)
        else:
            base = np.maximum(1.0 - wn * (2.0 - lmbda), 1e-300)
            u[~positive] = 1.0 - np.power(base, 1.0 / (2.0 - lmbda))
        return u * self.spread_ + self.center_


def _yeo_johnson_lambda(u: np.ndarray) -> float:
    """Maximum-likelihood Yeo-Johnson power of standardised values ``u``.

    ``scipy.stats.yeojohnson_normmax`` maximises the same likelihood but took
    5 ms per call here (a tenth of an iteration's budget); a bounded scalar
    search takes 0.5 ms. With ``|u| <= sqrt(n)`` the bounds keep every power
    finite.
    """
    log_jacobian = float(np.sum(np.sign(u) * np.log1p(np.abs(u))))

    def negative_log_likelihood(lmbda: float) -> float:
        variance = np.var(stats.yeojohnson(u, lmbda))
        if variance <= 0.0:
            return np.inf
        return 0.5 * len(u) * np.log(variance) - (lmbda - 1.0) * log_jacobian

    result = minimize_scalar(
        negative_log_likelihood, bounds=(-3.0, 5.0), method="bounded"
    )
    return float(result.x)


def _gls_mean_and_weights(L: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """The constant prior mean that maximises the likelihood given the
    Cholesky factor ``L`` of the covariance, ``m = 1' K^-1 y / 1' K^-1 1``,
    and the posterior weights ``K^-1 (y - m)``, from the same two solves."""
    k_inv_y = cho_solve((L, True), y, check_finite=False)
    k_inv_1 = cho_solve((L, True), np.ones_like(y), check_finite=False)
    mean = float(k_inv_y.sum() / k_inv_1.sum())
    return mean, k_inv_y - mean * k_inv_1


def _matern52(
    sq_dist: np.ndarray, with_slope: bool = False
) -> tuple[np.ndarray, np.ndarray | None]:
    """The Matérn-5/2 correlation of squared length-scaled distances ``r**2``.

    With ``m = sqrt(5) r`` it is ``(1 + m + m**2 / 3) exp(-m)``; ``slope`` is
    ``(1 + m) exp(-m)``, the factor every derivative of the kernel shares
    (``d corr / d (r**2) = -(5/6) slope``), smooth at ``r = 0``.
    """
    m = _SQRT5 * np.sqrt(np.maximum(sq_dist, 0.0))
    exp_m = np.exp(-m)
    correlation = (1.0 + m + m * m / 3.0) * exp_m
    return correlation, ((1.0 + m) * exp_m if with_slope else None)


class GaussianProcess:
    """A GP surrogate on the model cube with warm-started MAP hyperparameters.

    Parameters
    ----------
    n_columns : int
        Width of the model cube.
    random_state : RandomState
        Passed to ``GaussianProcessRegressor`` (only used by its restarts).
    n_restarts_optimizer : int, default=0
        Random restarts of the hyperparameter fit.
    maxiter : int, default=100
        L-BFGS-B iterations per hyperparameter fit start.
    noise : float or None, default=None
        None fits the noise variance with the other hyperparameters; a
        number holds it at that variance of the standardised outputs (what
        ``gp_minimize(noise=...)`` asks for; 0 means the smallest noise,
        ``1e-6``).
    warp_power : bool, default=True
        Fit the output warp's power (``OutputWarp``); False keeps the map
        from the objective's units to the GP's affine.
    """

    def __init__(
        self,
        n_columns: int,
        random_state: np.random.RandomState,
        n_restarts_optimizer: int = 0,
        maxiter: int = 100,
        noise: float | None = None,
        warp_power: bool = True,
    ):
        self.n_columns = n_columns
        self.warp_power = warp_power
        self.random_state = random_state
        self.n_restarts_optimizer = n_restarts_optimizer
        self.maxiter = maxiter
        self.noise = noise
        self.theta_: np.ndarray | None = None
        self.n_fits_ = 0
        self.prior_mean_ = 0.0

    # what GPs pickled before these existed read
    noise: float | None = None
    warp_power = True

    def _fixed_noise(self) -> float | None:
        if self.noise is None:
            return None
        return float(np.clip(self.noise, _NOISE_BOUNDS[0], _FIXED_NOISE_MAX))

    def _kernel(self, theta: np.ndarray | None):
        if theta is None:
            c, length, noise = _DEFAULT_THETA
            length = np.full(self.n_columns, length)
        else:
            c, length, noise = np.exp(theta[0]), np.exp(theta[1:-1]), np.exp(theta[-1])
        fixed = self._fixed_noise()
        noise_bounds = _NOISE_BOUNDS if fixed is None else (
            min(_NOISE_BOUNDS[0], fixed), max(_NOISE_BOUNDS[1], fixed))
        if fixed is not None:
            noise = fixed
        return ConstantKernel(c, _CONSTANT_BOUNDS) * Matern(
            length_scale=length, length_scale_bounds=_LENGTH_SCALE_BOUNDS, nu=2.5
        ) + WhiteKernel(noise, noise_bounds)

    def fit(self, X: np.ndarray, y: np.ndarray) -> GaussianProcess:
        """Fit hyperparameters (warm-started) and the posterior to ``(X, y)``."""
        X = np.asarray(X, dtype=float)
        self.warp_ = OutputWarp(self.warp_power).fit(y)
        y_standard = self.warp_.transform(y)
        default_theta = self._kernel(None).theta
        gpr = GaussianProcessRegressor(
            kernel=self._kernel(self.theta_),
            alpha=_JITTER,
            # a second start from the defaults every few fits escapes a
            # warm start stuck in a stale optimum; every fit would double the
            # cost (the hyperparameter fit is most of an iteration at 40 points)
            optimizer=_MAPOptimizer(
                _MAPObjective(X, y_standard, fit_mean=True),
                default_theta,
                self.maxiter,
                try_default=self.n_fits_ % 3 == 0,
                fixed_noise=self._fixed_noise(),
            ),
            n_restarts_optimizer=self.n_restarts_optimizer,
            normalize_y=False,
            copy_X_train=False,
            random_state=self.random_state,
        )
        with warnings.catch_warnings():
            # bound hits are expected for dimensions the objective ignores
            warnings.simplefilter("ignore", ConvergenceWarning)
            gpr.fit(X, y_standard)
        self.theta_ = gpr.kernel_.theta.copy()
        self.n_fits_ += 1
        self._set_posterior(X, y_standard, refit_mean=True)
        return self

    def _set_posterior(
        self, X: np.ndarray, y_standard: np.ndarray, refit_mean: bool = False
    ) -> None:
        theta = self.theta_
        self.constant_ = float(np.exp(theta[0]))
        self.length_scale_ = np.exp(theta[1:-1])
        self.noise_ = float(np.exp(theta[-1]))
        self.X_train_ = X
        self.y_train_ = y_standard
        scaled = X / self.length_scale_
        K = self.constant_ * _matern52(cdist(scaled, scaled, "sqeuclidean"))[0]
        K[np.diag_indices_from(K)] += self.noise_ + _JITTER
        self.L_ = cholesky(K, lower=True, check_finite=False)
        if refit_mean:
            self.prior_mean_, self.alpha_ = _gls_mean_and_weights(self.L_, y_standard)
        else:  # a fantasy keeps the mean of the fit it came from
            self.alpha_ = cho_solve(
                (self.L_, True), y_standard - self.prior_mean_, check_finite=False
            )

    def copy(self) -> GaussianProcess:
        """A snapshot: later fits of ``self`` do not change it.

        Shallow, because ``fit`` and ``_set_posterior`` replace the fitted
        arrays instead of writing into them.
        """
        other = object.__new__(GaussianProcess)
        other.__dict__.update(self.__dict__)
        return other

    def fantasize(self, X_new: np.ndarray, y_new: np.ndarray) -> GaussianProcess:
        """A copy conditioned on extra points, same hyperparameters (constant liar).

        ``y_new`` is in the original units.
        """
        other = self.copy()
        y_new_standard = self.standardise(y_new)
        other._set_posterior(
            np.vstack([self.X_train_, X_new]),
            np.concatenate([self.y_train_, y_new_standard]),
        )
        return other

    def standardise(self, y: np.ndarray) -> np.ndarray:
        """Map values in original units to the GP's standardised units."""
        return self.warp_.transform(y)

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Standardised posterior mean and std of the latent f, shape ``(n,)``."""
        X = np.atleast_2d(X)
        sq_dist = cdist(
            X / self.length_scale_, self.X_train_ / self.length_scale_, "sqeuclidean"
        )
        mu, sigma, _ = self._posterior(_matern52(sq_dist)[0])
        return mu, sigma

    def predict_with_gradient(
        self, X: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``mu, sigma`` (shape ``(n,)``) and their gradients in x, shape ``(n, d)``."""
        X = np.atleast_2d(X)
        inv_l2 = self.length_scale_**-2
        diff = X[:, None, :] - self.X_train_[None, :, :]
        correlation, slope = _matern52(
            np.einsum("bnd,d->bn", diff**2, inv_l2), with_slope=True
        )
        mu, sigma, v = self._posterior(correlation)
        # dk/dx = -(5/3) c (1 + m) exp(-m) (x - x') / l**2
        dk_scale = (-5.0 / 3.0) * self.constant_ * slope
        dk = dk_scale[:, :, None] * diff * inv_l2
        d_mu = np.einsum("bnd,n->bd", dk, self.alpha_)
        w = solve_triangular(self.L_.T, v, lower=False, check_finite=False)
        d_var = -2.0 * np.einsum("bnd,nb->bd", dk, w)
        d_sigma = d_var / (2.0 * sigma[:, None])
        return mu, sigma, d_mu, d_sigma

    def _posterior(
        self, correlation: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mean, std and ``v = L^-1 k`` from the correlations with the training
        points, shape ``(n, n_train)``."""
        k = self.constant_ * correlation
        mu = self.prior_mean_ + k @ self.alpha_
        v = solve_triangular(self.L_, k.T, lower=True, check_finite=False)
        var = np.maximum(self.constant_ - np.einsum("ij,ij->j", v, v), 1e-12)
        return mu, np.sqrt(var), v

    def posterior_covariance(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        """Standardised posterior covariance of the latent f between the rows
        of ``A`` and of ``B``, shape ``(len(A), len(B))`` (PVRS uses it)."""
        A, B = np.atleast_2d(A), np.atleast_2d(B)
        scale = self.length_scale_

        def train_covariance(X):
            k = self.constant_ * _matern52(
                cdist(X / scale, self.X_train_ / scale, "sqeuclidean"))[0]
            return solve_triangular(self.L_, k.T, lower=True, check_finite=False)

        sq_dist = cdist(A / scale, B / scale, "sqeuclidean")
        prior = self.constant_ * _matern52(sq_dist)[0]
        return prior - train_covariance(A).T @ train_covariance(B)

    def predict_objective(self, X: np.ndarray) -> np.ndarray:
        """Posterior mean in the objective's own units, shape ``(n,)``.

        The standardised mean mapped back through the output warp: the
        surrogate's prediction of the value ``tell`` would receive (a median
        rather than a mean where the warp is curved).
        """
        return self.warp_.inverse_transform(self.predict(X)[0])
