"""Linear models trained by gradient descent: GDRegressor, GDClassifier.

At scikit-learn's settings a fit runs in the compiled kernel's lane
(``_engine.kernel.lane``) and this module never imports torch: the torch
path, ``module_`` (built on first access), and the torch losses are
imported where they are used.
"""

from __future__ import annotations

import dataclasses
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, softmax
from sklearn.base import RegressorMixin, is_classifier
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.extmath import safe_sparse_dot
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ._base import BaseGradientEstimator, ClassifierPlumbing, LinearWeights
from ._compat import (
    Interval,
    LinearClassifierMixin,
    StrOptions,
    check_is_fitted,
    fit_context,
    validate_data,
)
from ._docs import (
    LINEAR_ATTRIBUTES,
    LINEAR_CLASS_WEIGHT,
    LINEAR_N_JOBS,
    linear_parameters,
)
from ._engine.kernel.host import host_data, take_host_rows
from ._engine.kernel.lane import lane_spec, run_lane
from ._engine.loss_kinds import CLASSIFICATION_LOSSES, REGRESSION_LOSSES, loss_kind
from ._engine.rates import PASSIVE_AGGRESSIVE, SCHEDULES, sgd_optimal_init
from ._engine.state import TrainingDiverged

_UPDATES_PER_EPOCH = 1000
_MAX_INT = np.iinfo(np.int32).max
_MAX_AUTO_BATCH = 256

# loss name -> (constructor, its default parameters), the layout of
# scikit-learn's ``loss_functions``: the margin of the hinge losses, the
# epsilon of Huber and the epsilon-insensitive losses (``epsilon`` overrides it)
_LOSS_ARGUMENTS = {
    "hinge": (loss_kind, 1.0),
    "squared_hinge": (loss_kind, 1.0),
    "perceptron": (loss_kind, 0.0),
    "log_loss": (loss_kind,),
    "modified_huber": (loss_kind,),
    "squared_error": (loss_kind,),
    "huber": (loss_kind, 0.1),
    "epsilon_insensitive": (loss_kind, 0.1),
    "squared_epsilon_insensitive": (loss_kind, 0.1),
}


class _BaseGD(BaseGradientEstimator):
    _parameter_constraints = {
        **BaseGradientEstimator._parameter_constraints,
        "fit_intercept": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "epsilon": [Interval(Real, 0, None, closed="left")],
        "learning_rate": [StrOptions(set(SCHEDULES))],
        "eta0": [Interval(Real, 0, None, closed="neither")],
        "average": [Interval(Integral, 0, None, closed="neither"), "boolean"],
    }
    _lr_param = "eta0"
    _split_keeps_row_order = True

    def _check_params(self, *, for_partial_fit=False):
        super()._check_params(for_partial_fit=for_partial_fit)
        if for_partial_fit and self.early_stopping:
            raise ValueError(
                "early_stopping should be False with partial_fit: partial_fit "
                "trains on one chunk at a time and holds no validation data "
                "out; set early_stopping=False."
            )
        if self.power_t < 0:
            warnings.warn(
                f"Negative values for `power_t` are deprecated in scikit-learn's "
                f"SGD and will be refused here too; power_t={self.power_t!r} "
                "makes the 'invscaling' rate grow. Use a value in [0, inf).",
                FutureWarning,
            )
        if self.learning_rate == "optimal" and self.alpha == 0:
            raise ValueError(
                "alpha=0 with learning_rate='optimal': the schedule 1/(alpha*t) "
                "needs alpha > 0; raise alpha or choose another learning_rate."
            )
        if self.learning_rate in PASSIVE_AGGRESSIVE:
            self._check_passive_aggressive()

    def _check_passive_aggressive(self):
        """'pa1'/'pa2': scikit-learn's loss rule, and the kernel's settings."""
        loss = "hinge" if is_classifier(self) else "epsilon_insensitive"
        if self.loss != loss:
            raise ValueError(f"Learning rate '{self.learning_rate}' only works "
                             f"with loss '{loss}'.")
        needs = {"solver": "sgd", "momentum": 0, "dropout": 0}
        wrong = {name: getattr(self, name) for name, value in needs.items()
                 if getattr(self, name) != value}
        if self.batch_size not in (1, "auto"):
            wrong["batch_size"] = self.batch_size
        if wrong:
            settings = ", ".join(f"{name}={value!r}" for name, value in wrong.items())
            raise ValueError(
                f"learning_rate={self.learning_rate!r} is a per-sample "
                "passive-aggressive step of the compiled kernel: it needs "
                "solver='sgd', momentum=0, dropout=0 and batch_size=1 or 'auto'; "
                f"got {settings}."
            )

    def _loss(self):
        """The torch loss (imports torch: the torch path only)."""
        from ._engine.losses import make_loss

        return make_loss(self.loss, self.epsilon)

    def _loss_kind(self):
        """The loss's name and target coding, without torch."""
        return loss_kind(self.loss, self.epsilon)

    def _auto_batch_size(self, n_samples):
        # The torch path's 'auto' (where the compiled kernel does not run the
        # fit at batch size 1: another solver, momentum, a GPU;
        # _engine.parts.plan): about _UPDATES_PER_EPOCH updates per epoch,
        # so that an epoch makes progress like scikit-learn's per-sample one,
        # in batches big enough on large data to amortise torch's per-op cost.
        return min(max(n_samples // _UPDATES_PER_EPOCH, 1), _MAX_AUTO_BATCH)

    def _spec_overrides(self):
        # the lane's loss and 'optimal' start (scikit-learn's: the heads');
        # _torch_spec puts in the torch loss and the engine's start
        return dict(
            loss=self._loss_kind(),
            clock="updates",
            patience=self.n_iter_no_change,
            stop_loss="per_head",
            average_start=int(self.average),
            adam_epsilon=1e-8,
            optimal_init=(sgd_optimal_init(self.alpha)
                          if self.learning_rate == "optimal" else 1.0),
            sgd_seeds=self._sgd_seeds,
            head_weights=self._head_weights(),
            n_jobs=getattr(self, "n_jobs", None),
            report="sgd",
        )

    def _torch_spec(self, spec):
        from ._engine.schedules import loss_optimal_init

        loss = self._loss()
        optimal_init = (loss_optimal_init(self.alpha, loss)
                        if self.learning_rate == "optimal" else 1.0)
        return dataclasses.replace(spec, loss=loss, optimal_init=optimal_init)

    def _print_stop(self, *, early_stopping, spec):
        """The engine prints scikit-learn's SGD lines, its stop included."""

    # --------------------------------------------------- the kernel's lane
    def _lane_fit(self, X, coded_y, sample_weight, split, spec, *,
                  is_continuing, incremental):
        """Train in the compiled kernel's lane where it runs the fit
        (``_engine.kernel.lane.lane_spec``): host arrays, no torch."""
        n_outputs = coded_y.shape[1]
        spec = lane_spec(spec, len(coded_y), n_outputs, device=self.device,
                         dropout=self.dropout, auto_batch=self.batch_size == "auto")
        if spec is None:
            return None
        data = host_data(X, coded_y, sample_weight)
        train, validation = data, None
        if split is not None:
            train, validation = (take_host_rows(data, rows) for rows in split)
        weight, bias, state = self._lane_weights(X.shape[1], n_outputs, X.dtype,
                                                 is_continuing, incremental)
        if weight is None:
            return None  # continuing weights of another dtype: the torch path
        n_rows = train.n_samples if train.source is None else train.source[1]
        self._t_start = ((self.t_, state.n_iter, n_rows)
                         if state is not None else (1, 0, n_rows))
        try:
            state = run_lane(weight, bias, train, spec, state, validation)
        except TrainingDiverged as exc:
            raise self._diverged(exc) from None
        return LinearWeights(weight, bias), state, spec

    def _lane_weights(self, n_features, n_outputs, dtype, is_continuing,
                      incremental):
        """The lane's starting weight, bias (None without an intercept) and
        state, as ``_initial_model`` starts the torch path's; (None, None,
        None) where ``partial_fit`` continues weights of another dtype."""
        coef_init, intercept_init = self._weights_init
        if is_continuing and incremental:
            self._check_continuation(n_features, n_outputs)
            state = self._training_state
            continued = [state.averaged_params, state.raw_params]
            if self.coef_.dtype != dtype or any(
                    a is not None and any(p.dtype != dtype for p in map(np.asarray, a))
                    for a in continued):
                return None, None, None
            coef_init, intercept_init = self.coef_, self.intercept_
        else:
            state = None
            if is_continuing:
                # scikit-learn's warm start is a fit from the previous coef_
                # and intercept_: counters, schedule and averages start afresh
                self._check_continuation(n_features, n_outputs)
                coef_init = self.coef_ if coef_init is None else coef_init
                intercept_init = (self.intercept_ if intercept_init is None
                                  else intercept_init)
        weight, bias = _initial_weights(n_outputs, n_features, self.fit_intercept,
                                        coef_init, intercept_init, dtype)
        return weight, bias, state

    @property
    def module_(self):
        """The fitted ``torch.nn.Module``; a fit in the compiled kernel's
        lane builds it from ``coef_`` and ``intercept_`` on first access
        (the only step of such a fit that imports torch)."""
        module = self.__dict__.get("_module")
        if module is None:
            if "coef_" not in self.__dict__:
                raise AttributeError(
                    f"{type(self).__name__!r} object has no attribute 'module_'")
            module = self._build_module(self.n_features_in_, self.n_outputs_,
                                        self._weight_dtype(), "cpu", None)
            _copy_into(module.linear, *_as_weight_and_bias(
                self.coef_, self.intercept_, self.n_outputs_, self.fit_intercept))
            self._module = module
        return module

    @module_.setter
    def module_(self, module):
        self._module = module

    def _weight_dtype(self):
        import torch

        return torch.float32 if self.coef_.dtype == np.float32 else torch.float64

    def _raw_output(self, X):
        """``X @ coef_.T + intercept_`` on the host, as scikit-learn's linear
        models (no torch): (n_samples, n_outputs)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False,
                          dtype=(np.float64, np.float32))
        # a sparsified coef_ predicts exactly as the dense one (sparsify's promise)
        coef = self.coef_.toarray() if sp.issparse(self.coef_) else self.coef_
        coef = coef.reshape(-1, X.shape[1])
        output = safe_sparse_dot(X.astype(coef.dtype, copy=False), coef.T,
                                 dense_output=True)
        return np.asarray(output) + self.intercept_

    def _head_weights(self):
        """Each head's (positive, negative) class weight; () for none."""
        return ()

    def _draw_seed(self, rng):
        """scikit-learn's SGD draws: its shuffle seeds, kept for the kernel
        (``_sgd_seeds``); the first one also seeds the torch path."""
        self._sgd_seeds = self._shuffle_seeds(rng)
        return self._sgd_seeds[0]

    def _shuffle_seeds(self, rng) -> tuple[int, ...]:
        # SGDRegressor._fit_regressor: the shuffle seed, then make_dataset's
        seed = int(rng.randint(0, _MAX_INT))
        rng.randint(1, _MAX_INT)
        return (seed,)

    def _build_module(self, n_features, n_outputs, dtype, device, generator,
                      column_major_input=False):
        from ._engine.modules import LinearModel

        return LinearModel(n_features, n_outputs, fit_intercept=self.fit_intercept,
                           dropout=self.dropout, dtype=dtype, device=device)

    def _linear_weights(self, module):
        coef = module.linear.weight.detach().cpu().numpy().copy()
        bias = module.linear.bias
        if bias is None:
            intercept = np.zeros(coef.shape[0], dtype=coef.dtype)
        else:
            intercept = bias.detach().cpu().numpy().copy()
        return coef, intercept

    def _store_fitted(self, model, state):
        # scikit-learn's count: every epoch adds the rows of the X passed
        # (its validation rows too), from 1 at each fit
        t_before, n_iter_before, n_rows = self._t_start
        del self._t_start
        self.t_ = t_before + (state.n_iter - n_iter_before) * n_rows
        if isinstance(model, LinearWeights):
            self._module = None  # built from coef_ on first access
            coef, intercept = _host_weights(model)
        else:
            coef, intercept = self._linear_weights(model)
        self.n_outputs_ = coef.shape[0]
        has_validation = bool(state.validation_scores)
        self.best_loss_ = None if has_validation else state.best_loss
        self.validation_scores_ = (list(state.validation_scores) if has_validation
                                   else None)
        self.best_validation_score_ = (state.best_validation_score if has_validation
                                       else None)
        self._store_coef(coef, intercept)
        self._store_standard_weights(state)

    _AVERAGING_ATTRIBUTES = ("_standard_coef", "_standard_intercept",
                             "_average_coef", "_average_intercept")

    def _store_standard_weights(self, state):
        """With ``average``, scikit-learn's private pair of weight sets: the
        plain SGD weights (``_standard_*``, where training continues) and the
        averages (``_average_*``, which ``coef_`` and ``intercept_`` are)."""
        for name in self._AVERAGING_ATTRIBUTES:
            self.__dict__.pop(name, None)
        if not self.average or state.raw_params is None:
            return
        weight = np.asarray(state.raw_params[0])
        # one head: 1-D, as scikit-learn stores a binary or 1-D regression fit
        self._standard_coef = (weight[0] if len(weight) == 1 else weight).copy()
        self._standard_intercept = (np.asarray(state.raw_params[1]).copy()
                                    if len(state.raw_params) > 1
                                    else np.zeros_like(self.intercept_))
        average = np.asarray(self.coef_)
        self._average_coef = (average[0] if average.ndim == 2 and len(average) == 1
                              else average).copy()
        self._average_intercept = np.array(self.intercept_, copy=True)

    # ------------------------------------------- initial weights, warm start
    _weights_init = (None, None)  # (coef_init, intercept_init) during a fit

    def _fit_from(self, X, y, coef_init, intercept_init, sample_weight):
        """``fit``, with ``coef_init``/``intercept_init`` as the first weights."""
        self._weights_init = (coef_init, intercept_init)
        try:
            return self._fit(X, y, sample_weight, incremental=False)
        finally:
            del self._weights_init

    def _initial_model(self, n_features, n_outputs, train, device, seed,
                       is_continuing, incremental):
        coef_init, intercept_init = self._weights_init
        if is_continuing and not incremental:
            # scikit-learn's warm start is a fit from the previous coef_ and
            # intercept_: counters, schedule and averages start afresh
            self._check_continuation(n_features, n_outputs)
            if coef_init is None:
                coef_init = self.coef_
            if intercept_init is None:
                intercept_init = self.intercept_
            is_continuing = False
        module, state = super()._initial_model(n_features, n_outputs, train,
                                               device, seed, is_continuing,
                                               incremental)
        if not is_continuing and (coef_init is not None
                                  or intercept_init is not None):
            weight, bias = _initial_weights(
                n_outputs, n_features, self.fit_intercept, coef_init,
                intercept_init, np.float64)
            _copy_into(module.linear, weight, bias)
        n_rows = train.n_samples if train.source is None else train.source[1]
        self._t_start = ((self.t_, state.n_iter, n_rows) if is_continuing
                         else (1, 0, n_rows))
        return module, state

    # ------------------------------------------------------- sparse coef_
    def sparsify(self):
        """Store ``coef_`` as a scipy sparse CSR matrix.

        Worth it when most weights are exactly zero, as after an L1 or
        elastic-net fit. Predictions are unchanged; the next ``fit`` or
        ``partial_fit`` stores a dense ``coef_`` again. ``intercept_`` stays
        dense.

        Returns
        -------
        self : object
            The estimator, with a sparse ``coef_``.
        """
        check_is_fitted(self)
        self.coef_ = sp.csr_matrix(self.coef_)
        return self

    def densify(self):
        """Store ``coef_`` as a dense numpy array again (undoes ``sparsify``).

        Returns
        -------
        self : object
            The estimator, with a dense ``coef_``.
        """
        check_is_fitted(self)
        if sp.issparse(self.coef_):
            self.coef_ = self.coef_.toarray()
            if self.coef_.shape[0] == 1 and getattr(self, "_y_is_1d", False):
                self.coef_ = self.coef_[0]
        return self


def _initial_weights(n_outputs, n_features, fit_intercept, coef_init,
                     intercept_init, dtype):
    """The first weight (n_outputs, n_features) and bias (n_outputs,) (None
    without an intercept) of a fit: zeros, or ``coef_init`` and
    ``intercept_init`` (scikit-learn's shapes) checked and copied.

    One output takes any array of ``n_features`` weights and one intercept;
    several take ``(n_outputs, n_features)`` and ``(n_outputs,)``, as
    ``SGDClassifier`` does for one-vs-all heads.
    """
    weight = np.zeros((n_outputs, n_features), dtype=dtype)
    bias = np.zeros(n_outputs, dtype=dtype) if fit_intercept else None
    if coef_init is not None:
        coef = coef_init.toarray() if sp.issparse(coef_init) else coef_init
        coef = np.asarray(coef, dtype=np.float64)
        if n_outputs == 1:
            coef = coef.ravel()
        expected = (n_features,) if n_outputs == 1 else (n_outputs, n_features)
        if coef.shape != expected:
            raise ValueError(
                f"Provided coef_init does not match dataset: its shape is "
                f"{coef.shape}, the data need {expected}; pass one row of "
                "n_features weights per output (per class when there are "
                "more than two).")
        weight[...] = coef.reshape(n_outputs, n_features)
    if intercept_init is not None:
        intercept = np.asarray(intercept_init, dtype=np.float64)
        if intercept.shape not in ({(), (1,)} if n_outputs == 1
                                   else {(n_outputs,)}):
            raise ValueError(
                f"Provided intercept_init does not match dataset: its shape "
                f"is {intercept.shape}, the data need ({n_outputs},).")
        if bias is None:
            if np.any(intercept != 0):
                raise ValueError(
                    "intercept_init is not zero but fit_intercept=False "
                    "leaves the model without an intercept; drop "
                    "intercept_init or set fit_intercept=True.")
        else:
            bias[...] = intercept.reshape(n_outputs)
    return weight, bias


def _copy_into(linear, weight, bias) -> None:
    """Copy host ``weight`` and ``bias`` into the torch layer ``linear``."""
    import torch

    with torch.no_grad():
        linear.weight.copy_(torch.as_tensor(weight))
        if bias is not None:
            linear.bias.copy_(torch.as_tensor(bias))


def _as_weight_and_bias(coef, intercept, n_outputs, fit_intercept):
    """``coef_``/``intercept_`` as the layer's (n_outputs, n_features) weight
    and (n_outputs,) bias (None without an intercept)."""
    coef = coef.toarray() if sp.issparse(coef) else np.asarray(coef)
    return (coef.reshape(n_outputs, -1),
            np.asarray(intercept).reshape(n_outputs) if fit_intercept else None)


def _host_weights(model: LinearWeights):
    """``coef_`` and ``intercept_`` (zeros without one) of a lane fit."""
    bias = model.bias
    if bias is None:
        bias = np.zeros(model.weight.shape[0], dtype=model.weight.dtype)
    return model.weight, bias


class GDRegressor(RegressorMixin, _BaseGD):
    __doc__ = (
        """Linear regression trained by gradient descent on PyTorch.

    A drop-in for :class:`sklearn.linear_model.SGDRegressor` with the solver,
    batch mode, schedule, dropout and device as hyperparameters, and
    multi-output ``y``. Where the compiled per-sample kernel runs a 1-D
    ``y`` (``solver='sgd'`` without momentum at ``batch_size=1`` or
    ``'auto'``, on the CPU: the defaults), it is scikit-learn's SGD: at
    the same ``random_state`` the model is ``SGDRegressor``'s to rounding.

    Parameters
    ----------
    loss : {'squared_error', 'huber', 'epsilon_insensitive', \
'squared_epsilon_insensitive'}, default='squared_error'
        The loss minimised (averaged over outputs).
"""
        + linear_parameters(default_schedule="invscaling", default_power_t=0.25)
        + """
    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_outputs, n_features)
        Weights; 1-D when ``y`` is 1-D.

    intercept_ : ndarray of shape (1,) or (n_outputs,)
        Intercepts.
"""
        + LINEAR_ATTRIBUTES
        + """
    See Also
    --------
    sklearn.linear_model.SGDRegressor : The per-sample SGD of scikit-learn.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skopt_est import GDRegressor
    >>> X, y = make_regression(n_samples=200, n_features=5, random_state=0)
    >>> model = GDRegressor(random_state=0).fit(X, y)
    >>> bool(model.score(X, y) > 0.99)
    True
    """
    )

    loss_functions = {name: _LOSS_ARGUMENTS[name] for name in REGRESSION_LOSSES}

    _parameter_constraints = {
        **_BaseGD._parameter_constraints,
        "loss": [StrOptions(set(REGRESSION_LOSSES))],
    }

    def __init__(self, loss="squared_error", *, penalty="l2", alpha=0.0001,
                 l1_ratio=0.15, fit_intercept=True, max_iter=1000, tol=1e-3,
                 shuffle=True, verbose=0, epsilon=0.1, random_state=None,
                 learning_rate="invscaling", eta0=0.01, power_t=0.25,
                 early_stopping=False, validation_fraction=0.1,
                 n_iter_no_change=5, warm_start=False, average=False,
                 solver="sgd", batch_size="auto", momentum=0.0,
                 nesterovs_momentum=False, beta_1=0.9, beta_2=0.999, gamma=0.9,
                 step_size=10, dropout=0.0, device="cpu"):
        self.loss = loss
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.epsilon = epsilon
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.warm_start = warm_start
        self.average = average
        self.solver = solver
        self.batch_size = batch_size
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.gamma = gamma
        self.step_size = step_size
        self.dropout = dropout
        self.device = device

    _validation_metric = "r2"

    def _encode_targets(self, y, sample_weight, *, first_call, classes=None,
                        incremental=False, dtype=np.float64):
        if first_call:
            self._y_is_1d = y.ndim == 1
        return y.reshape(len(y), -1), sample_weight

    def _store_coef(self, coef, intercept):
        if self._y_is_1d:
            coef = coef[0]
        self.coef_ = coef
        self.intercept_ = intercept

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, coef_init=None, intercept_init=None, sample_weight=None):
        """Fit the linear model by gradient descent.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        coef_init : ndarray of shape (n_features,) or (n_outputs, n_features), \
default=None
            The initial weights; None starts from zeros (or, with
            ``warm_start``, from the previous ``coef_``).
        intercept_init : ndarray of shape (1,) or (n_outputs,), default=None
            The initial intercepts; None starts from zeros (or, with
            ``warm_start``, from the previous ``intercept_``).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples; None gives every sample weight 1.

        Returns
        -------
        self : GDRegressor
            The fitted estimator.
        """
        return self._fit_from(X, y, coef_init, intercept_init, sample_weight)

    @fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Run one epoch over ``X``, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        self : GDRegressor
            The updated estimator.
        """
        return self._fit(X, y, sample_weight, incremental=True)

    def predict(self, X):
        """Predict with the linear model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predicted values.
        """
        output = self._raw_output(X)
        return output[:, 0] if self._y_is_1d else output

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


def _has_proba(estimator):
    if estimator.loss not in ("log_loss", "modified_huber"):
        # available_if chains this as the cause, as in scikit-learn's SGD
        raise AttributeError(
            f"probability estimates are not available for loss={estimator.loss!r};"
            " use loss='log_loss' or 'modified_huber'"
        )
    return True


class GDClassifier(LinearClassifierMixin, ClassifierPlumbing, _BaseGD):
    __doc__ = (
        """Linear classifier trained by gradient descent on PyTorch.

    A drop-in for :class:`sklearn.linear_model.SGDClassifier`. With
    ``loss='log_loss'`` a multiclass problem is fitted as one multinomial
    (softmax) model; the other losses fit one-vs-rest heads. Where the
    compiled per-sample kernel runs the fit (``solver='sgd'`` without
    momentum at ``batch_size=1`` or ``'auto'``, on the CPU: the
    defaults), it is scikit-learn's SGD: each head is its own binary fit with
    scikit-learn's seed, shuffle, weights and stop, so at the same
    ``random_state`` the model is ``SGDClassifier``'s to rounding.

    Parameters
    ----------
    loss : {'hinge', 'log_loss', 'modified_huber', 'squared_hinge', \
'perceptron', 'squared_error', 'huber', 'epsilon_insensitive', \
'squared_epsilon_insensitive'}, default='hinge'
        The loss minimised. ``'log_loss'`` and ``'modified_huber'`` give
        ``predict_proba``. The regression losses fit each class's head to
        -1/+1 targets, as ``SGDClassifier`` does. ``loss_functions`` lists
        them all.
"""
        + linear_parameters(default_schedule="optimal", default_power_t=0.5,
                            class_weight=LINEAR_CLASS_WEIGHT, n_jobs=LINEAR_N_JOBS)
        + """
    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Weights.

    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts.

    classes_ : ndarray of shape (n_classes,)
        The class labels.
"""
        + LINEAR_ATTRIBUTES
        + """
    See Also
    --------
    sklearn.linear_model.SGDClassifier : The per-sample SGD of scikit-learn.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skopt_est import GDClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> model = GDClassifier(loss="log_loss", random_state=0).fit(X, y)
    >>> bool(model.score(X, y) > 0.9)
    True
    """
    )

    loss_functions = {name: _LOSS_ARGUMENTS[name]
                      for name in CLASSIFICATION_LOSSES + REGRESSION_LOSSES}

    _parameter_constraints = {
        **_BaseGD._parameter_constraints,
        "loss": [StrOptions(set(loss_functions))],
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "n_jobs": [Integral, None],
    }

    def __init__(self, loss="hinge", *, penalty="l2", alpha=0.0001, l1_ratio=0.15,
                 fit_intercept=True, max_iter=1000, tol=1e-3, shuffle=True,
                 verbose=0, epsilon=0.1, n_jobs=None, random_state=None,
                 learning_rate="optimal", eta0=0.01, power_t=0.5,
                 early_stopping=False, validation_fraction=0.1,
                 n_iter_no_change=5, class_weight=None, warm_start=False,
                 average=False, solver="sgd", batch_size="auto", momentum=0.0,
                 nesterovs_momentum=False, beta_1=0.9, beta_2=0.999, gamma=0.9,
                 step_size=10, dropout=0.0, device="cpu"):
        self.loss = loss
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.epsilon = epsilon
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.average = average
        self.solver = solver
        self.batch_size = batch_size
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.gamma = gamma
        self.step_size = step_size
        self.dropout = dropout
        self.device = device

    _validation_metric = "accuracy"

    def _check_params(self, *, for_partial_fit=False):
        super()._check_params(for_partial_fit=for_partial_fit)
        self._check_class_weight(for_partial_fit=for_partial_fit)

    def _loss_name(self):
        """The registered loss: the multinomial one for multiclass log_loss."""
        if self.loss == "log_loss" and len(self.classes_) > 2:
            return "multinomial"
        return self.loss

    def _loss(self):
        from ._engine.losses import make_loss, one_vs_rest

        loss = make_loss(self._loss_name(), self.epsilon)
        return one_vs_rest(loss) if self.loss in REGRESSION_LOSSES else loss

    def _loss_kind(self):
        return loss_kind(self._loss_name(), self.epsilon,
                         one_vs_rest=self.loss in REGRESSION_LOSSES)

    def _stratify_labels(self, y, coded_y):
        return y

    def _validate_targets(self, y):
        return column_or_1d(y, warn=True)

    def _encode_targets(self, y, sample_weight, *, first_call, classes=None,
                        incremental=False, dtype=np.float64):
        check_classification_targets(y)
        if first_call:
            self.classes_ = self._classes_for_fit(y, classes)
        elif classes is not None and not np.array_equal(np.unique(classes),
                                                         self.classes_):
            raise ValueError(
                f"classes={classes!r} differs from the classes of the first call "
                f"({self.classes_!r}); pass the same classes every time."
            )
        indices = np.searchsorted(self.classes_, y)
        # a label is in classes_ where its sorted place holds it: 4 µs on
        # iris against 22 for setdiff1d
        found = self.classes_[np.minimum(indices, len(self.classes_) - 1)] == y
        if not found.all():
            raise ValueError(
                f"y contains labels {np.unique(y[~found])!r} not in classes "
                f"{self.classes_!r}; list every label in `classes` on the first "
                "call to partial_fit."
            )
        # applied per head by the engine (TrainingSpec.head_weights)
        self._expanded_class_weight = self._class_weights(y)
        return self._code_indices(indices, dtype), sample_weight

    def _head_weights(self):
        weights = self._expanded_class_weight
        if np.all(weights == 1.0):
            return ()
        if len(weights) == 2:  # fit_binary(pos_weight=cw[1], neg_weight=cw[0])
            return ((float(weights[1]), float(weights[0])),)
        # _fit_multiclass: each class against the rest, weight 1 for the rest
        return tuple((float(w), 1.0) for w in weights)

    def _shuffle_seeds(self, rng):
        if len(self.classes_) == 2:  # fit_binary: make_dataset's draw first
            rng.randint(1, _MAX_INT)
            return (int(rng.randint(_MAX_INT)),)
        # _fit_multiclass: one seed per class, each fit_binary's random_state
        return _head_seeds(rng.randint(_MAX_INT, size=len(self.classes_)))

    def _classes_for_fit(self, y, classes):
        classes_ = np.unique(y) if classes is None else np.unique(classes)
        if len(classes_) < 2:
            raise ValueError(
                "The number of classes has to be greater than one; got "
                f"{len(classes_)} class. Pass samples of at least two classes."
            )
        return classes_

    def _class_weights(self, y):
        if self.class_weight is None:
            return np.ones(len(self.classes_))
        return compute_class_weight(self.class_weight, classes=self.classes_, y=y)

    def _code_indices(self, indices, dtype):
        n_classes = len(self.classes_)
        target_kind = self._loss_kind().target_kind
        if n_classes == 2:
            coded = (indices == 1).astype(dtype)[:, None]
        else:
            coded = np.eye(n_classes, dtype=dtype)[indices]
        if target_kind not in ("binary", "onehot"):
            coded *= 2.0
            coded -= 1.0
        return coded

    def _store_coef(self, coef, intercept):
        self.coef_ = coef
        self.intercept_ = intercept

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, coef_init=None, intercept_init=None, sample_weight=None):
        """Fit the linear classifier by gradient descent.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        coef_init : ndarray of shape (n_classes, n_features), default=None
            The initial weights (one row, or a 1-D array, for two classes);
            None starts from zeros (or, with ``warm_start``, from the
            previous ``coef_``).
        intercept_init : ndarray of shape (n_classes,), default=None
            The initial intercepts (one value for two classes); None starts
            from zeros (or, with ``warm_start``, from the previous
            ``intercept_``).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples, multiplied by ``class_weight``.

        Returns
        -------
        self : GDClassifier
            The fitted estimator.
        """
        return self._fit_from(X, y, coef_init, intercept_init, sample_weight)

    @fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Run one epoch over ``X``, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            Every class label; required on the first call.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        self : GDClassifier
            The updated estimator.
        """
        return self._partial_fit_classes(X, y, classes, sample_weight)

    def decision_function(self, X):
        """Signed confidence scores of the samples.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Scores; 1-D for a binary problem, positive for ``classes_[1]``.
        """
        output = self._raw_output(X)
        return output[:, 0] if output.shape[1] == 1 else output

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        scores = self.decision_function(X)
        indices = (scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(1)
        return self.classes_[indices]

    @available_if(_has_proba)
    def predict_proba(self, X):
        """Class probabilities, for ``loss='log_loss'`` or ``'modified_huber'``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        """
        output = self._raw_output(X)
        if self.loss == "modified_huber":
            # scikit-learn's (clip(decision, -1, 1) + 1) / 2 per head
            proba = (np.clip(output, -1.0, 1.0) + 1.0) / 2.0
        elif output.shape[1] == 1:
            proba = expit(output)
        else:
            return softmax(output, axis=1)
        if proba.shape[1] == 1:
            return np.hstack([1.0 - proba, proba])
        return _normalise_one_vs_rest(proba)

    @available_if(_has_proba)
    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probability of each class.
        """
        return self._log_proba(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        return tags


def _head_seeds(seeds: np.ndarray) -> tuple[int, ...]:
    """The shuffle seed of each one-vs-all head, of ``random_state=seed``:
    ``fit_binary``'s draws (make_dataset's first)."""
    # one generator reseeded per head: building one costs 85 µs, a reseed 1.5
    rng = np.random.RandomState()
    head_seeds = []
    for seed in seeds:
        rng.seed(int(seed))
        rng.randint(1, _MAX_INT)
        head_seeds.append(int(rng.randint(_MAX_INT)))
    return tuple(head_seeds)


def _normalise_one_vs_rest(proba: np.ndarray) -> np.ndarray:
    """Rows of one-vs-rest probabilities summing to one (uniform if all zero)."""
    total = proba.sum(axis=1, keepdims=True)
    n_classes = proba.shape[1]
    uniform = np.full_like(proba, 1.0 / n_classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, proba / np.where(total > 0, total, 1.0), uniform)
