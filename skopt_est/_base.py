"""The scikit-learn side shared by every estimator.

``BaseGradientEstimator`` turns constructor parameters into a ``TrainingSpec``,
validated data into device tensors, runs the engine and exports fitted
attributes as host numpy arrays. Subclasses say what is theirs through a few
hooks: how targets are coded, which module to build, which spec fields differ,
and which fitted attributes to set; a linear model may also train in the
compiled kernel's lane (``_lane_fit``). torch is imported where the torch
path runs, not here: a fit in the lane never imports it (importing torch
costs about 1 s, as much as scikit-learn; benchmarks/bench_small.py).
"""

from __future__ import annotations

import copy
import dataclasses
import math
import warnings
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state

from ._compat import (
    Interval,
    StrOptions,
    check_is_fitted,
    check_sample_weight,
    fit_context,
    validate_data,
)
from ._engine.regularisation import PENALTIES
from ._engine.spec import SOLVERS, TrainingSpec
from ._engine.state import TrainingDiverged, TrainingState, divergence_message

_AUTO_BATCH_SIZE = 200

# these schedules bring the rate to zero at max_iter: reaching it is the plan,
# not a failure to converge, so it gets no ConvergenceWarning
_ANNEALED_TO_MAX_ITER = ("linear", "cosine")


class LinearWeights(NamedTuple):
    """A linear model trained in the compiled kernel's lane: host arrays of
    shape (n_outputs, n_features) and (n_outputs,) (None: no intercept)."""

    weight: np.ndarray
    bias: np.ndarray | None


class BaseGradientEstimator(BaseEstimator):
    """Parameters, validation and fit/predict plumbing common to all estimators."""

    _parameter_constraints: dict = {
        "solver": [StrOptions(set(SOLVERS))],
        "batch_size": [Interval(Integral, 1, None, closed="left"),
                       StrOptions({"auto"}), None],
        "gamma": [Interval(Real, 0, 1, closed="right")],
        "step_size": [Interval(Integral, 1, None, closed="left")],
        "penalty": [StrOptions(set(PENALTIES)), None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both"), None],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "device": [str],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "power_t": [Interval(Real, None, None, closed="neither")],
    }

    # ----------------------------------------------------------- subclass hooks
    _lr_param = "eta0"
    _validation_metric = "r2"
    # True: the training rows keep their order after the validation split
    # (scikit-learn's SGD masks them out; its MLP keeps the split's shuffle)
    _split_keeps_row_order = False
    # the fewest validation rows early stopping accepts (scikit-learn's MLP: 2)
    _min_validation_rows = 1

    def _encode_targets(self, y, sample_weight, *, first_call: bool, classes=None,
                        incremental: bool = False, dtype=np.float64):
        """Return ``y`` coded for the loss, shape (n_samples, n_outputs).

        Coded class labels take ``dtype``, the floating dtype of ``X``: the
        training tensor then shares their memory instead of holding a copy.
        """
        raise NotImplementedError

    def _build_module(self, n_features, n_outputs, dtype, device, generator,
                      column_major_input=False):
        """The untrained module; ``column_major_input``: the first layer's
        weight laid out as a sparse fit's products want it
        (:func:`_engine.sparse.column_major_`)."""
        raise NotImplementedError

    def _spec_overrides(self) -> dict:
        """TrainingSpec fields that differ between estimator families."""
        raise NotImplementedError

    def _store_fitted(self, module, state: TrainingState) -> None:
        raise NotImplementedError

    def _draw_seed(self, rng: np.random.RandomState) -> int:
        """Hook: the fit's seed, drawn from ``check_random_state(random_state)``."""
        return int(rng.randint(np.iinfo(np.int32).max))

    def _validate_targets(self, y):
        """Hook: reshape or check ``y`` after validate_data."""
        return y

    def _stratify_labels(self, y, coded_y):
        """The labels the validation split keeps the proportions of (None: none)."""
        return None

    def _check_params(self, *, for_partial_fit: bool = False) -> None:
        if self.penalty == "elasticnet" and self.l1_ratio is None:
            raise ValueError(
                "l1_ratio must be set when penalty is 'elasticnet'; got "
                "l1_ratio=None, set it to a value in [0, 1]."
            )

    # -------------------------------------------------------------- fitting
    def _batch_size(self, n_samples: int) -> int | None:
        if self.solver == "lbfgs" or self.batch_size is None:
            return None
        if self.batch_size == "auto":
            return self._auto_batch_size(n_samples)
        return min(self.batch_size, n_samples)

    def _auto_batch_size(self, n_samples: int) -> int:
        """``batch_size='auto'``: scikit-learn's MLP rule, ``min(200, n)``."""
        return min(_AUTO_BATCH_SIZE, n_samples)

    def _divergence_hint(self) -> str:
        if self.learning_rate == "optimal":
            return (f"Raise alpha={self.alpha:g} (learning_rate='optimal' steps "
                    "by 1/(alpha*t)), or use learning_rate='constant' with a "
                    "small eta0")
        lr = getattr(self, self._lr_param)
        return f"Lower {self._lr_param}={lr:g}"

    def _diverged(self, exc: TrainingDiverged) -> TrainingDiverged:
        """The engine's divergence error, with the parameter to change."""
        return TrainingDiverged(exc.epoch, exc.loss,
                                f"{exc} {self._divergence_advice(exc.loss)}")

    def _divergence_advice(self, loss: float) -> str:
        """The parameter to change; scaling too, unless the message says it.

        An overflow's message is scikit-learn's, which already suggests
        StandardScaler; a finite climb's is not.
        """
        if not math.isfinite(loss):
            return f"{self._divergence_hint()}."
        return (f"{self._divergence_hint()}, or standardise the features (e.g. "
                "with sklearn.preprocessing.StandardScaler).")

    def _warn_if_diverged(self, state: TrainingState) -> None:
        if state.diverged_at is None:
            return
        epoch, loss = state.diverged_at
        warnings.warn(
            f"{divergence_message(epoch, loss)} Training stopped there and "
            "kept the weights of the best validation score. "
            f"{self._divergence_advice(loss)}", ConvergenceWarning)

    def _max_iter_message(self, spec: TrainingSpec) -> str:
        """scikit-learn's SGD's words for a fit that ran out of epochs."""
        return ("Maximum number of iteration reached before convergence. "
                "Consider increasing max_iter to improve the fit.")

    def _print_stop(self, *, early_stopping: bool, spec: TrainingSpec) -> None:
        """scikit-learn's MLP's verbose line when the stop rule ends a fit."""
        if spec.solver == "lbfgs":
            return
        what = "Validation score" if early_stopping else "Training loss"
        ending = ("Learning rate too small. Stopping."
                  if spec.learning_rate == "adaptive" else "Stopping.")
        print(f"{what} did not improve more than tol={spec.tol:f} for "
              f"{self.n_iter_no_change} consecutive epochs. {ending}")

    def _training_spec(self, n_samples: int, seed: int, *,
                       incremental: bool) -> TrainingSpec:
        fields = dict(
            solver=self.solver,
            lr=float(getattr(self, self._lr_param)),
            momentum=self.momentum,
            nesterov=self.nesterovs_momentum,
            beta_1=self.beta_1,
            beta_2=self.beta_2,
            learning_rate=self.learning_rate,
            power_t=self.power_t,
            gamma=self.gamma,
            step_size=self.step_size,
            max_iter=1 if incremental else self.max_iter,
            schedule_horizon=self.max_iter,
            batch_size=self._batch_size(n_samples),
            auto_batch=self.batch_size == "auto",
            shuffle=self.shuffle,
            tol=None if incremental else self.tol,
            # partial_fit's epochs are judged one call at a time
            watch_climb=not incremental,
            validation_metric=self._validation_metric,
            penalty=self.penalty,
            alpha=self.alpha,
            penalty_alpha=self.alpha if self.penalty is not None else 0.0,
            l1_ratio=0.15 if self.l1_ratio is None else self.l1_ratio,
            verbose=self.verbose,
            seed=seed,
        )
        fields.update(self._spec_overrides())
        return TrainingSpec(**fields)

    def _fit(self, X, y, sample_weight, *, incremental: bool, classes=None,
             n_epochs: int = 1):
        """Validate, train and store; a fit that raises leaves ``self`` as it was."""
        attributes_before = dict(self.__dict__)
        try:
            return self._fit_unsafe(X, y, sample_weight, incremental=incremental,
                                    classes=classes, n_epochs=n_epochs)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(attributes_before)
            raise

    def _fit_unsafe(self, X, y, sample_weight, *, incremental: bool, classes=None,
                    n_epochs: int = 1):
        """A fit, or ``n_epochs`` ``partial_fit`` calls on the same data
        (``incremental``): validated and coded once, then trained by runs
        that each continue the last one's state, as many epochs a run as
        the path trains exactly as one-epoch runs
        (``_engine.loop.continues_in_one_run``), else one."""
        self._check_params(for_partial_fit=incremental)
        is_continuing = ((incremental or self.warm_start)
                         and "_training_state" in self.__dict__)
        if self._validation_metric == "r2":
            _check_numeric_target(type(self).__name__, y)
        X, y = validate_data(
            self, X, y, accept_sparse=["csr", "csc"], multi_output=True,
            dtype=(np.float64, np.float32), reset=not is_continuing,
            y_numeric=self._validation_metric == "r2",
        )
        y = self._validate_targets(y)
        # as scikit-learn's SGD, all-zero weights pass here with early
        # stopping, so that the validation split says what is wrong
        sample_weight = check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True,
            allow_all_zero_weights=self.early_stopping and not incremental)
        device = None if self.device == "cpu" else _torch_device(self.device)
        # the training tensors share the coded array's memory; a later
        # partial_fit call would code the same y the same way
        coded_y, sample_weight = self._encode_targets(
            y, sample_weight, first_call=not is_continuing, classes=classes,
            incremental=incremental, dtype=X.dtype)
        split = self._validation_rows(y, coded_y, sample_weight,
                                      incremental=incremental)
        n_train = len(coded_y) if split is None else len(split[0])
        try:
            self._run_epochs_left(X, coded_y, sample_weight, split, n_train,
                                  device, is_continuing, incremental, n_epochs)
        finally:
            self.__dict__.pop("_run_in_place", None)
        return self

    def _run_epochs_left(self, X, coded_y, sample_weight, split, n_train, device,
                         is_continuing, incremental, epochs_left) -> None:
        """Train and store run after run until ``epochs_left`` are done.

        The runs after the first continue the module and state that this
        call trained, which no one else holds: they train them in place
        (``_run_in_place``), where the first run trains copies.
        """
        while epochs_left > 0:
            # drawn once per partial_fit call (a RandomState instance moves on)
            rng = check_random_state(self.random_state)
            seed = self._draw_seed(rng)
            spec = self._training_spec(n_train, seed, incremental=incremental)
            fit = self._lane_fit(X, coded_y, sample_weight, split, spec,
                                 is_continuing=is_continuing,
                                 incremental=incremental)
            if fit is None:
                fit = self._torch_fit(X, coded_y, sample_weight, split, spec,
                                      device, seed, is_continuing=is_continuing,
                                      incremental=incremental,
                                      n_epochs=epochs_left)
            model, state, spec = fit
            self._store_run(model, state, spec, split, incremental)
            ran = spec.max_iter if incremental else epochs_left
            for _ in range(min(ran, epochs_left) - 1):
                self._draw_seed(rng)
            epochs_left -= ran
            is_continuing = True
            self._run_in_place = True

    def _store_run(self, model, state, spec, split, incremental: bool) -> None:
        """Warn, print and store what one run trained."""
        self._warn_if_diverged(state)
        if self.verbose and state.converged and not incremental:
            self._print_stop(early_stopping=split is not None, spec=spec)
        self._store_common(model, state)
        self._store_fitted(model, state)
        if (state.diverged_at is None and spec.tol is not None
                and not state.converged
                and spec.learning_rate not in _ANNEALED_TO_MAX_ITER):
            warnings.warn(self._max_iter_message(spec), ConvergenceWarning)

    @fit_context(prefer_skip_nested_validation=True)
    def _partial_fit_epochs(self, n_epochs: int, X, y, sample_weight=None):
        """``n_epochs`` calls of ``partial_fit(X, y, sample_weight)`` in one.

        The same model, bit for bit, as the calls one after the other (the
        data is validated and coded once, and the torch mini-batch path
        trains the epochs in one run); what ``HyperbandSearchCV`` continues
        a fold model by (``search._continuation``). Private: a classifier
        takes ``classes`` as its ``partial_fit`` does.
        """
        return self._fit(X, y, sample_weight, incremental=True,
                         n_epochs=_check_n_epochs(n_epochs))

    def _lane_fit(self, X, coded_y, sample_weight, split, spec, *,
                  is_continuing: bool, incremental: bool):
        """Hook: ``(model, state, spec)`` of a fit that the compiled
        kernel's lane runs without torch (``_engine.kernel.lane``), or None
        to train on the torch path. The MLPs have no lane."""
        return None

    def _torch_spec(self, spec: TrainingSpec) -> TrainingSpec:
        """Hook: the spec the torch path runs by (the linear models put in
        their torch loss here)."""
        return spec

    def _torch_fit(self, X, coded_y, sample_weight, split, spec, device, seed, *,
                   is_continuing: bool, incremental: bool, n_epochs: int = 1):
        """``(module, state, spec)``: train a torch module (``_engine.loop``).

        ``n_epochs`` (``partial_fit`` only): the epochs still to run, in this
        run where it trains them as one-epoch runs would; the returned
        spec's ``max_iter`` says how many it ran.
        """
        from ._engine.data import take_rows, to_training_data
        from ._engine.loop import continues_in_one_run, run_training

        device = _torch_device("cpu") if device is None else device
        spec = self._torch_spec(spec)
        data = to_training_data(X, coded_y, sample_weight, device)
        train, validation = data, None
        if split is not None:
            train, validation = (take_rows(data, rows) for rows in split)
        module, state = self._initial_model(X.shape[1], train.y.shape[1], train,
                                            device, seed, is_continuing,
                                            incremental)
        if (incremental and n_epochs > 1
                and continues_in_one_run(module, train, spec)):
            spec = dataclasses.replace(spec, max_iter=n_epochs)
        try:
            state = run_training(module, train, spec, state, validation,
                                 in_place=bool(self.__dict__.get("_run_in_place")))
        except TrainingDiverged as exc:
            raise self._diverged(exc) from None
        return module, state, spec

    def _continued_state(self, incremental: bool) -> TrainingState:
        """partial_fit continues everything; a warm-started fit keeps the
        weights and counters but starts a fresh optimizer and schedule, as
        scikit-learn's estimators do, so changed hyperparameters apply."""
        state = self._training_state
        if incremental:
            return state
        return dataclasses.replace(state, optimizer_state=None,
                                   scheduler_state=None, lr=None,
                                   no_improvement_count=0, converged=False)

    def _initial_model(self, n_features, n_outputs, train, device, seed,
                       is_continuing, incremental):
        if is_continuing:
            self._check_continuation(n_features, n_outputs)
            module = self.module_
            if not self.__dict__.get("_run_in_place"):
                # the module before this call must survive its failure (_fit)
                module = copy.deepcopy(module)
            else:
                # as in a copy (a Parameter's copy has no .grad): a sparse
                # run's first gradient is a fresh product, not summed into
                # the last one's buffer (_engine.sparse.sparse_weight_gradient)
                for parameter in module.parameters():
                    parameter.grad = None
            return module.to(device), self._continued_state(incremental)
        import torch

        generator = torch.Generator().manual_seed(seed + 1)
        module = self._build_module(n_features, n_outputs, train.dtype, device,
                                    generator, column_major_input=(
                                        train.is_sparse
                                        and self.solver != "lbfgs"))
        return module, None

    def _check_continuation(self, n_features: int, n_outputs: int) -> None:
        if n_outputs != self.n_outputs_:
            raise ValueError(
                f"y has {n_outputs} outputs but this estimator was fitted with "
                f"{self.n_outputs_}; set warm_start=False to start afresh."
            )

    def _validation_rows(self, y, coded_y, sample_weight, *, incremental: bool):
        """``(training rows, validation rows)`` of early stopping's split, or
        None where there is none."""
        if not self.early_stopping or incremental or self.solver == "lbfgs":
            return None
        n_samples = len(coded_y)
        stratify = self._stratify_labels(y, coded_y)
        try:
            train_rows, validation_rows = train_test_split(
                np.arange(n_samples), test_size=self.validation_fraction,
                random_state=self.random_state, stratify=stratify)
        except ValueError as exc:
            raise ValueError(
                f"The validation set is too small: early_stopping=True cannot "
                f"split {n_samples} samples with validation_fraction="
                f"{self.validation_fraction}: {exc} Raise validation_fraction or "
                "pass more samples."
            ) from exc
        if len(validation_rows) < self._min_validation_rows:
            raise ValueError(
                f"The validation set is too small: early_stopping=True holds out "
                f"{len(validation_rows)} of {n_samples} samples with "
                f"validation_fraction={self.validation_fraction}, and the "
                f"validation score needs at least {self._min_validation_rows}. "
                "Raise validation_fraction or pass more samples."
            )
        if self._split_keeps_row_order:
            train_rows, validation_rows = np.sort(train_rows), np.sort(validation_rows)
        if not _total_weight(sample_weight, validation_rows) > 0:
            hint = ("every sample weight is zero: pass at least one positive "
                    "weight" if not _total_weight(sample_weight, None) > 0 else
                    f"or a larger validation_fraction={self.validation_fraction}")
            raise ValueError(
                "The sample weights for validation set are all zero, consider "
                f"using a different random state ({hint})."
            )
        return train_rows, validation_rows

    def _store_common(self, model, state: TrainingState) -> None:
        """What every fit stores; ``model`` is the torch module, kept as
        ``module_``, or the lane's arrays (:class:`LinearWeights`), from
        which a linear model builds ``module_`` on first access."""
        if not isinstance(model, LinearWeights):
            self.module_ = model
        self._training_state = state
        self.n_iter_ = state.n_iter
        self.loss_curve_ = list(state.loss_curve)

    # ------------------------------------------------------------ predicting
    def _raw_output(self, X) -> np.ndarray:
        """The module's output on ``X`` as a host array (n_samples, n_outputs)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False,
                          dtype=(np.float64, np.float32))
        from ._engine.predict import predict_raw

        parameter = next(self.module_.parameters())
        X = X.astype(np.float32 if parameter.dtype.itemsize == 4 else np.float64,
                     copy=False)
        # no thread-count switch here: resizing torch's pool costs more than
        # a one-row forward pass (benchmarks/bench_mlp.py, predict table)
        output = predict_raw(self.module_, X, parameter.device)
        return output.cpu().numpy()

    # -------------------------------------------------------------- pickling
    def __getstate__(self):
        state = super().__getstate__()
        # a module pickles on the CPU (the linear models keep it as _module)
        for key in ("module_", "_module"):
            if state.get(key) is not None:
                state[key] = copy.deepcopy(state[key]).cpu()
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class ClassifierPlumbing:
    """The checks and helpers GDClassifier and MLPClassifier share."""

    def _check_class_weight(self, *, for_partial_fit: bool) -> None:
        if for_partial_fit and self.class_weight == "balanced":
            raise ValueError(
                "class_weight 'balanced' is not supported for partial_fit. In "
                "order to use 'balanced' weights, use compute_class_weight("
                "'balanced', classes=classes, y=y). In place of y you can use a "
                "large enough sample of the full training set target to "
                "properly estimate the class frequency distributions. Pass the "
                "resulting weights as the class_weight parameter."
            )

    def _partial_fit_classes(self, X, y, classes, sample_weight, n_epochs=1):
        self._check_params(for_partial_fit=True)  # parameter errors first
        if not hasattr(self, "classes_") and classes is None:
            raise ValueError(
                "classes must be passed on the first call to partial_fit: "
                "list every label, e.g. classes=np.unique(y_all)."
            )
        return self._fit(X, y, sample_weight, incremental=True, classes=classes,
                         n_epochs=n_epochs)

    @fit_context(prefer_skip_nested_validation=True)
    def _partial_fit_epochs(self, n_epochs, X, y, classes=None,
                            sample_weight=None):
        """``n_epochs`` calls of ``partial_fit(X, y, classes, sample_weight)``
        in one (``BaseGradientEstimator._partial_fit_epochs``)."""
        return self._partial_fit_classes(X, y, classes, sample_weight,
                                         n_epochs=_check_n_epochs(n_epochs))

    def _log_proba(self, X) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))


def _torch_device(device: str):
    """The torch device named by the ``device`` parameter (imports torch)."""
    from ._engine.device import resolve_device

    return resolve_device(device)


__all__ = ["BaseGradientEstimator", "ClassifierPlumbing"]


def _check_n_epochs(n_epochs) -> int:
    if not isinstance(n_epochs, Integral) or n_epochs < 1:
        raise ValueError(f"n_epochs must be a positive integer; got {n_epochs!r}.")
    return int(n_epochs)


def _check_numeric_target(name: str, y) -> None:
    """A regressor given class labels: point to the classifier."""
    labels = np.asarray(y)
    if labels.dtype.kind not in "OUS":
        return
    text = [value for value in labels.ravel() if isinstance(value, str)]
    if text:
        raise ValueError(
            f"{name} predicts numbers, but y holds text labels such as "
            f"{str(text[0])!r}; use {name.replace('Regressor', 'Classifier')} for "
            "class labels."
        )


def _total_weight(sample_weight, rows) -> float:
    """The total weight of ``rows`` (all rows if None); None weighs each 1."""
    if sample_weight is None:
        return float(len(rows)) if rows is not None else math.inf
    return float(sample_weight.sum() if rows is None else sample_weight[rows].sum())
