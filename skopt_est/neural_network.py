"""Multilayer perceptrons trained on PyTorch: MLPRegressor, MLPClassifier."""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import (
    check_classification_targets,
    type_of_target,
    unique_labels,
)
from sklearn.utils.validation import column_or_1d

from ._base import BaseGradientEstimator, ClassifierPlumbing
from ._compat import Interval, Options, StrOptions, fit_context
from ._docs import DEVICE, MLP_ATTRIBUTES, MLP_PARAMETERS
from ._engine.losses import make_loss
from ._engine.modules import ACTIVATIONS, MLP
from ._engine.optim import STOCHASTIC_SOLVERS
from ._engine.rates import PASSIVE_AGGRESSIVE, SCHEDULES

_MLP_SCHEDULES = set(SCHEDULES) - {"optimal", *PASSIVE_AGGRESSIVE}


def _is_stochastic(estimator):
    if estimator.solver not in STOCHASTIC_SOLVERS:
        raise AttributeError(
            f"partial_fit is only available for stochastic solvers; "
            f"solver={estimator.solver!r} is not one."
        )
    return True


class _BaseMLP(BaseGradientEstimator):
    _parameter_constraints = {
        **BaseGradientEstimator._parameter_constraints,
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None,
                                                      closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "learning_rate": [StrOptions(_MLP_SCHEDULES)],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left"),
                             Options(Real, {np.inf})],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
    }
    _lr_param = "learning_rate_init"
    _min_validation_rows = 2

    def _max_iter_message(self, spec):
        # scikit-learn's MLP's words, and what to change
        if spec.solver == "lbfgs":
            return (f"lbfgs failed to converge after {self.n_iter_} iteration(s). "
                    f"Increase max_iter={self.max_iter} (or max_fun="
                    f"{self.max_fun}) to improve the convergence, or loosen tol.")
        return (f"Stochastic Optimizer: Maximum iterations ({spec.max_iter}) "
                "reached and the optimization hasn't converged yet. Raise "
                "max_iter or loosen tol.")

    def _diverged(self, exc):
        if math.isfinite(exc.loss):
            return super()._diverged(exc)
        # scikit-learn's MLP words a non-finite fit so, and its SGD so; the
        # MLP's sentence already says to preprocess, so the scalers are named
        # once, with the parameter to lower.
        return type(exc)(
            exc.epoch, exc.loss,
            "Solver produced non-finite parameter weights. The input data may "
            "contain large values and need to be preprocessed. Floating-point "
            f"under-/overflow occurred at epoch #{exc.epoch}: training diverged "
            f"(loss={exc.loss}). {self._divergence_hint()}, or scale the input "
            "with StandardScaler or MinMaxScaler.")

    def _hidden_sizes(self) -> list[int]:
        sizes = np.atleast_1d(np.asarray(self.hidden_layer_sizes))
        if sizes.ndim != 1 or not np.all(sizes >= 1):
            raise ValueError(
                f"hidden_layer_sizes={self.hidden_layer_sizes!r} must be a "
                "sequence of positive layer widths, e.g. (100,) or (64, 32)."
            )
        return [int(size) for size in sizes]

    def _check_params(self, *, for_partial_fit=False):
        super()._check_params(for_partial_fit=for_partial_fit)
        self._hidden_sizes()
        if for_partial_fit and self.early_stopping:
            raise ValueError(
                "partial_fit does not support early_stopping=True: it trains on "
                "one chunk at a time and holds no validation data out; set "
                "early_stopping=False."
            )
        if self.early_stopping and self.validation_fraction == 0 and (
                self.solver != "lbfgs"):
            raise ValueError(
                "validation_fraction=0 with early_stopping=True leaves no "
                "validation data; set validation_fraction in (0, 1)."
            )

    def _build_module(self, n_features, n_outputs, dtype, device, generator,
                      column_major_input=False):
        sizes = [n_features, *self._hidden_sizes(), n_outputs]
        return MLP(sizes, activation=self.activation, dropout=self.dropout,
                   dtype=dtype, device=device, generator=generator,
                   column_major_input=column_major_input)

    def _spec_overrides(self):
        return dict(
            loss=self._loss(),
            clock="samples",
            patience=(math.inf if self.n_iter_no_change == np.inf
                      else self.n_iter_no_change + 1),
            penalty_per_batch_weight=True,
            adam_epsilon=self.epsilon,
            max_fun=self.max_fun,
        )

    def _initial_model(self, n_features, n_outputs, train, device, seed,
                       is_continuing, incremental):
        module, state = super()._initial_model(n_features, n_outputs, train,
                                               device, seed, is_continuing,
                                               incremental)
        if (not is_continuing and (incremental or self.warm_start)
                and "coefs_" in self.__dict__):
            # coefs_ and intercepts_ set by hand on an unfitted network are the
            # weights partial_fit (or a warm start) begins with, as in
            # scikit-learn; once fitted, module_ holds the weights
            _load_weights(module, self.coefs_, self.intercepts_)
        # as scikit-learn's MLP, n_iter_ of a warm-started fit counts the
        # epochs of that fit (max_iter bounds each fit), while t_ and
        # loss_curve_ go on
        self._n_iter_before_fit = (state.n_iter if state is not None
                                   and not incremental else 0)
        return module, state

    def _store_fitted(self, module, state):
        self.n_iter_ = state.n_iter - self._n_iter_before_fit
        linears = module.linears()
        self.coefs_ = [layer.weight.detach().cpu().numpy().T.copy()
                       for layer in linears]
        self.intercepts_ = [layer.bias.detach().cpu().numpy().copy()
                            for layer in linears]
        self.n_layers_ = len(linears) + 1
        self.n_outputs_ = linears[-1].out_features
        self.t_ = state.n_samples_seen
        self.loss_ = state.loss_curve[-1]
        has_validation = bool(state.validation_scores)
        self.best_loss_ = None if has_validation else state.best_loss
        self.validation_scores_ = (list(state.validation_scores) if has_validation
                                   else None)
        self.best_validation_score_ = (state.best_validation_score if has_validation
                                       else None)
        self.out_activation_ = self._out_activation()


def _load_weights(module, coefs, intercepts) -> None:
    """Copy ``coefs``/``intercepts`` (scikit-learn's layout) into ``module``."""
    linears = module.linears()
    shapes = [(layer.in_features, layer.out_features) for layer in linears]
    given = [np.shape(coef) for coef in coefs]
    if given != shapes or [np.shape(b) for b in intercepts] != [
            (out,) for _, out in shapes]:
        raise ValueError(
            f"coefs_ of shapes {given} do not fit the network's layers {shapes} "
            "(n_features, hidden_layer_sizes, n_outputs); set coefs_ and "
            "intercepts_ of those shapes, or fit afresh with warm_start=False."
        )
    with torch.no_grad():
        for layer, coef, intercept in zip(linears, coefs, intercepts):
            layer.weight.copy_(torch.as_tensor(np.asarray(coef).T))
            layer.bias.copy_(torch.as_tensor(np.asarray(intercept)))


class MLPRegressor(RegressorMixin, _BaseMLP):
    __doc__ = (
        """Multilayer perceptron regressor trained on PyTorch.

    A drop-in for :class:`sklearn.neural_network.MLPRegressor`: the same
    parameters, defaults and fitted attributes, plus more solvers, schedules,
    penalties, dropout and a ``device``.

    Parameters
    ----------
    loss : {'squared_error', 'poisson'}, default='squared_error'
        The loss minimised; ``'poisson'`` predicts ``exp`` of the output.
"""
        + MLP_PARAMETERS
        + DEVICE
        + """
    Attributes
    ----------"""
        + MLP_ATTRIBUTES
        + """
    See Also
    --------
    sklearn.neural_network.MLPRegressor : The numpy MLP of scikit-learn.

    Notes
    -----
    With several outputs, training follows the gradient of the loss it
    reports (the squared error averaged over outputs). scikit-learn's MLP
    reports the same average but steps along the sum over outputs, so its
    effective learning rate is ``n_outputs`` times this one; multiply
    ``learning_rate_init`` by ``n_outputs`` to reproduce its updates.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skopt_est import MLPRegressor
    >>> X, y = make_regression(n_samples=200, n_features=5, random_state=0)
    >>> model = MLPRegressor(hidden_layer_sizes=(32,), learning_rate_init=0.01,
    ...                      max_iter=300, random_state=0).fit(X, y / 100)
    >>> bool(model.score(X, y / 100) > 0.9)
    True
    """
    )

    _parameter_constraints = {
        **_BaseMLP._parameter_constraints,
        "loss": [StrOptions({"squared_error", "poisson"})],
    }

    def __init__(self, loss="squared_error", hidden_layer_sizes=(100,),
                 activation="relu", *, solver="adam", alpha=0.0001,
                 batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False,
                 momentum=0.9, nesterovs_momentum=True, early_stopping=False,
                 validation_fraction=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 n_iter_no_change=10, max_fun=15000, penalty="l2", l1_ratio=0.15,
                 dropout=0.0, gamma=0.9, step_size=10, device="cpu"):
        self.loss = loss
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.dropout = dropout
        self.gamma = gamma
        self.step_size = step_size
        self.device = device

    _validation_metric = "r2"

    def _loss(self):
        return make_loss(self.loss)

    def _out_activation(self):
        return "exp" if self.loss == "poisson" else "identity"

    def _encode_targets(self, y, sample_weight, *, first_call, classes=None,
                        incremental=False, dtype=np.float64):
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError(
                "loss='poisson' needs non-negative y; use "
                "loss='squared_error' or shift the target."
            )
        return y.reshape(len(y), -1), sample_weight

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the network.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples; None gives every sample weight 1.

        Returns
        -------
        self : MLPRegressor
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, incremental=False)

    @available_if(_is_stochastic)
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
        self : MLPRegressor
            The updated estimator.
        """
        return self._fit(X, y, sample_weight, incremental=True)

    def predict(self, X):
        """Predict with the network.

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
        if self.loss == "poisson":
            output = np.exp(output)
        return output[:, 0] if output.shape[1] == 1 else output

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags


class MLPClassifier(ClassifierMixin, ClassifierPlumbing, _BaseMLP):
    __doc__ = (
        """Multilayer perceptron classifier trained on PyTorch.

    A drop-in for :class:`sklearn.neural_network.MLPClassifier`: binary
    (logistic output), multiclass (softmax) and multilabel (independent
    logistic outputs) problems, with the same parameters, defaults and fitted
    attributes, plus more solvers, schedules, penalties, dropout,
    ``class_weight`` and a ``device``.

    Parameters
    ----------"""
        + MLP_PARAMETERS
        + """    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes, multiplied into ``sample_weight``. Not for
        multilabel targets.
"""
        + DEVICE
        + """
    Attributes
    ----------
    classes_ : ndarray or list of ndarray of shape (n_classes,)
        The class labels.
"""
        + MLP_ATTRIBUTES
        + """
    See Also
    --------
    sklearn.neural_network.MLPClassifier : The numpy MLP of scikit-learn.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skopt_est import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> model = MLPClassifier(hidden_layer_sizes=(16,), learning_rate_init=0.01,
    ...                       max_iter=300, random_state=0).fit(X, y)
    >>> bool(model.score(X, y) > 0.9)
    True
    """
    )

    _parameter_constraints = {
        **_BaseMLP._parameter_constraints,
        "class_weight": [StrOptions({"balanced"}), dict, None],
    }

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *,
                 solver="adam", alpha=0.0001, batch_size="auto",
                 learning_rate="constant", learning_rate_init=0.001, power_t=0.5,
                 max_iter=200, shuffle=True, random_state=None, tol=1e-4,
                 verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False,
                 validation_fraction=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 n_iter_no_change=10, max_fun=15000, penalty="l2", l1_ratio=0.15,
                 dropout=0.0, gamma=0.9, step_size=10, class_weight=None,
                 device="cpu"):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.penalty = penalty
        self.l1_ratio = l1_ratio
        self.dropout = dropout
        self.gamma = gamma
        self.step_size = step_size
        self.class_weight = class_weight
        self.device = device

    _validation_metric = "accuracy"

    def _check_params(self, *, for_partial_fit=False):
        super()._check_params(for_partial_fit=for_partial_fit)
        self._check_class_weight(for_partial_fit=for_partial_fit)

    def _is_multilabel(self):
        return self._label_binarizer.y_type_.startswith("multilabel")

    def _loss(self):
        if len(self.classes_) > 2 and not self._is_multilabel():
            return make_loss("multinomial")
        return make_loss("log_loss")

    def _out_activation(self):
        return "softmax" if self._loss().target_kind == "onehot" else "logistic"

    def _validate_targets(self, y):
        if y.ndim == 2 and y.shape[1] == 1:
            return column_or_1d(y, warn=True)
        return y

    def _stratify_labels(self, y, coded_y):
        if self._is_multilabel():
            return None
        if coded_y.shape[1] == 1:
            # as scikit-learn's MLP, a binary y is split on its coding, one
            # boolean column: the same split, and the same error when a class
            # has one sample
            return coded_y.astype(bool)
        return y

    def _encode_targets(self, y, sample_weight, *, first_call, classes=None,
                        incremental=False, dtype=np.float64):
        check_classification_targets(y)
        if first_call:
            self._fit_label_binarizer(y, classes)
            if classes is not None:
                self._check_known_labels(y)
        else:
            self._check_same_classes(y, classes, incremental=incremental)
        coded = self._label_binarizer.transform(y).astype(dtype)
        if len(self.classes_) == 1 and not self._is_multilabel():
            # one class: LabelBinarizer codes it 0; train its logit towards 1
            coded = np.ones_like(coded)
        return coded, sample_weight * self._class_weights(y)

    def _fit_label_binarizer(self, y, classes):
        binarizer = LabelBinarizer()
        # a multilabel y is coded by its own columns, whatever classes says
        binarizer.fit(y if classes is None or type_of_target(y).startswith(
            "multilabel") else classes)
        self._label_binarizer = binarizer
        self.classes_ = binarizer.classes_

    def _check_same_classes(self, y, classes, *, incremental):
        if classes is not None and not np.array_equal(np.unique(classes),
                                                      self.classes_):
            raise ValueError(
                f"`classes={classes!r}` is not the same as on last call to "
                f"partial_fit, was: {self.classes_!r}; pass the same classes "
                "every time."
            )
        labels = unique_labels(y)
        if not incremental:
            if set(labels) != set(self.classes_):
                raise ValueError(
                    "warm_start can only be used where `y` has the same classes "
                    f"as in the previous call to fit. Previously got "
                    f"{self.classes_}, `y` has {labels}; set warm_start=False "
                    "to fit the new classes afresh."
                )
            return
        self._check_known_labels(y, labels)

    def _check_known_labels(self, y, labels=None):
        if self._is_multilabel():
            return
        if labels is None:
            labels = unique_labels(y)
        if np.setdiff1d(labels, self.classes_).size:
            raise ValueError(
                f"`y` has classes not in `self.classes_`. `self.classes_` has "
                f"{self.classes_}. 'y' has {labels}. partial_fit needs every "
                "label in `classes` on its first call."
            )

    def _class_weights(self, y):
        if self.class_weight is None:
            return np.ones(len(y))
        if self._is_multilabel():
            raise ValueError(
                "class_weight is not supported for multilabel y; pass "
                "sample_weight instead."
            )
        weights = compute_class_weight(self.class_weight, classes=self.classes_,
                                       y=y)
        return weights[np.searchsorted(self.classes_, y)]

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the network.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a label indicator matrix for multilabel problems.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples, multiplied by ``class_weight``.

        Returns
        -------
        self : MLPClassifier
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, incremental=False)

    @available_if(_is_stochastic)
    @fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Run one epoch over ``X``, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            Every class label; required on the first call.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        self : MLPClassifier
            The updated estimator.
        """
        return self._partial_fit_classes(X, y, classes, sample_weight)

    def predict_proba(self, X):
        """Probability of each class (of each label, for multilabel y).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, in the order of ``classes_``.
        """
        output = torch.from_numpy(self._raw_output(X))
        proba = self._loss().proba(output).numpy()
        if len(self.classes_) == 1 and not self._is_multilabel():
            return np.ones_like(proba)
        if proba.shape[1] == 1:
            return np.hstack([1.0 - proba, proba])
        return proba

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities.
        """
        return self._log_proba(X)

    def predict(self, X):
        """Predict class labels (a label indicator matrix for multilabel y).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
            Predicted labels.
        """
        output = self._raw_output(X)
        if self._is_multilabel():
            return (output > 0).astype(self._label_binarizer.classes_.dtype)
        if len(self.classes_) == 1:
            return np.repeat(self.classes_, len(output))
        if output.shape[1] == 1:
            return self.classes_[(output[:, 0] > 0).astype(int)]
        return self.classes_[output.argmax(axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.classifier_tags.multi_class = True
        return tags
