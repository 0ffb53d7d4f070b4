"""The numpydoc fragments the estimators' docstrings are built from.

A parameter or attribute that reads the same on every estimator is written
once here; each estimator module joins the fragments into its class's
``__doc__`` (tests/test_docstrings.py checks the result).
"""

# ------------------------------------------------------- every estimator
DEVICE = """    device : str, default='cpu'
        ``'cpu'``, ``'cuda'``, ``'cuda:N'``, ``'mps'`` or ``'auto'``. An absent
        device raises a ValueError at ``fit``.
"""

BETAS = """    beta_1, beta_2 : float, default=0.9, 0.999
        Moment decay rates of Adam and AdamW (``beta_2`` is RMSprop's decay).
"""

GAMMA_STEP_SIZE = """    gamma : float, default=0.9
        Decay factor of the ``'exponential'``, ``'step'`` and ``'restarts'``
        schedules, in `(0.0, 1.0]`.

    step_size : int, default=10
        Period in epochs of ``'step'``, ``'restarts'`` and ``'warm_restarts'``.
"""

L1_RATIO = """    l1_ratio : float, default=0.15
        The L1 fraction of the elastic-net penalty, in `[0.0, 1.0]`.
"""

FEATURES_IN = """    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when ``X`` has string column names.
"""

# ------------------------------------------------ GDRegressor, GDClassifier
# str.format fields: default_schedule, default_power_t, class_weight, n_jobs
_LINEAR_PARAMETERS = """
    penalty : {{'l2', 'l1', 'elasticnet'}} or None, default='l2'
        Regularisation of the weights (never of the intercept). ``'l1'`` and
        ``'elasticnet'`` give exact zeros: with ``solver='sgd'`` by
        scikit-learn's cumulative truncated-gradient step after every update,
        with the adaptive solvers by the same step in their own per-weight
        scale.

    alpha : float, default=0.0001
        Strength of the penalty; also sets the ``'optimal'`` schedule.
        Values must be in the range `[0.0, inf)`.

{l1_ratio}
    fit_intercept : bool, default=True
        Whether to learn an intercept.

    max_iter : int, default=1000
        Maximum number of epochs (passes over the training data).

    tol : float or None, default=1e-3
        Training stops when the loss (or the validation score, with
        ``early_stopping``) has not improved by at least ``tol`` for
        ``n_iter_no_change`` consecutive epochs. None disables the check.

    shuffle : bool, default=True
        Whether to reshuffle the training data every epoch.

    verbose : int, default=0
        Print scikit-learn's SGD lines on stdout: every epoch's ``-- Epoch``
        block (weight norm, nonzero weights, intercept, rows seen, mean loss,
        objective, time) and the ``Convergence after`` line of a stop; one
        block per one-vs-all head where each head is trained on its own (see
        ``n_jobs``), one for the whole model elsewhere.

    epsilon : float, default=0.1
        Width of the Huber and epsilon-insensitive losses.
{n_jobs}
    random_state : int, RandomState instance or None, default=None
        Seeds shuffling, dropout and the validation split. An int makes a CPU
        fit bit-for-bit repeatable; torch's global RNG is never touched.

    learning_rate : str, default={default_schedule!r}
        Learning-rate schedule: ``'constant'``, ``'optimal'``, ``'invscaling'``
        and ``'adaptive'`` keep scikit-learn's meaning, where ``t`` counts
        updates (one per mini-batch; at ``batch_size=1`` this is
        scikit-learn's per-sample count). ``'linear'``, ``'exponential'``,
        ``'step'``, ``'cosine'``, ``'restarts'`` and ``'warm_restarts'`` are
        stepped once per epoch (see ``gamma`` and ``step_size``). ``'pa1'`` and
        ``'pa2'`` are scikit-learn's passive-aggressive steps (PA-I, PA-II of
        Crammer et al., 2006), the successor of its
        ``PassiveAggressiveClassifier``/``Regressor``: with the ``'hinge'``
        loss for the classifier and ``'epsilon_insensitive'`` for the
        regressor, on the compiled per-sample kernel (``solver='sgd'``,
        ``momentum=0``, ``batch_size=1`` or ``'auto'``, no dropout, the CPU,
        one output).

    eta0 : float, default=0.01
        The initial learning rate. Values must be in the range `(0.0, inf)`.
        For ``'pa1'`` and ``'pa2'``, the aggressiveness ``C``: PA-I's largest
        step, PA-II's damping (smaller is more regularised).

    power_t : float, default={default_power_t}
        Exponent of the ``'invscaling'`` schedule.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data and stop when its score
        stops improving. Unlike scikit-learn's SGD, the weights of the best
        validation epoch are restored at the end.

    validation_fraction : float, default=0.1
        Fraction held out for early stopping, in `(0.0, 1.0)`.

    n_iter_no_change : int, default=5
        Epochs without improvement before stopping (or, for ``'adaptive'``,
        before dividing the learning rate by 5).
{class_weight}
    warm_start : bool, default=False
        Start ``fit`` from the previous fit's ``coef_`` and ``intercept_``, as
        if they were passed as ``coef_init`` and ``intercept_init``: the
        optimizer, the schedule, the averages and the counters ``n_iter_``
        and ``t_`` start afresh, as in scikit-learn's SGD. ``partial_fit``
        always continues everything.

    average : bool or int, default=False
        Polyak averaging: when True, ``coef_`` is the average of the weights
        over all updates; an int starts averaging after that many samples.

    solver : {{'sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'lbfgs'}}, \
default='sgd'
        The torch optimizer. ``'sgd'`` honours ``momentum`` and
        ``nesterovs_momentum``; ``'lbfgs'`` is always full batch.

    batch_size : int, 'auto' or None, default='auto'
        Samples per update: 1 is stochastic gradient descent, an int is
        mini-batch, None is full-batch gradient descent. ``'auto'`` is 1
        wherever the compiled per-sample kernel runs the fit
        (``solver='sgd'`` without momentum, on the CPU, no dropout; the
        defaults qualify): scikit-learn's SGD, its results and its speed, on
        dense and sparse ``X`` of any size. Elsewhere (another solver,
        momentum, a GPU) it gives about 1000 updates per epoch,
        ``n_samples // 1000`` clipped to `[1, 256]`
        (docs/user_guide/batch_modes.rst).

    momentum : float, default=0.0
        Momentum of ``solver='sgd'`` (0 is plain SGD); also RMSprop's.

    nesterovs_momentum : bool, default=False
        Use Nesterov momentum with ``solver='sgd'``.

{betas}
{gamma}
    dropout : float, default=0.0
        Dropout rate on the input features during training, in `[0.0, 1.0)`.

{device}"""


def linear_parameters(*, default_schedule: str, default_power_t: float,
                      class_weight: str = "", n_jobs: str = "") -> str:
    """The linear models' shared parameters, with their own defaults."""
    return _LINEAR_PARAMETERS.format(
        default_schedule=default_schedule, default_power_t=default_power_t,
        class_weight=class_weight, n_jobs=n_jobs, betas=BETAS,
        gamma=GAMMA_STEP_SIZE, l1_ratio=L1_RATIO, device=DEVICE)


LINEAR_N_JOBS = """
    n_jobs : int, default=None
        Threads for the one-vs-all heads where the compiled per-sample
        kernel trains each head on its own, as ``SGDClassifier`` does
        (``solver='sgd'``, ``batch_size=1`` or ``'auto'``, CPU,
        a loss other than the multinomial ``'log_loss'``): None or 1 fits
        them one after another. Elsewhere the heads are trained together in
        one torch model, whose operations use torch's intra-op threads, and
        ``n_jobs`` is unused.
"""

LINEAR_CLASS_WEIGHT = """
    class_weight : dict, 'balanced' or None, default=None
        Weights of the classes, multiplied into ``sample_weight``. As in
        ``SGDClassifier``, on every solver and batch size, a one-vs-all head
        weighs its own class by its weight and the rest by 1, and a binary
        problem weighs both classes. The multinomial ``'log_loss'`` (one
        softmax model) weighs each row by its class's weight, as
        ``LogisticRegression`` does.
"""

LINEAR_ATTRIBUTES = """
    n_iter_ : int
        Number of epochs (or L-BFGS iterations) run by the last ``fit``
        (cumulative over ``partial_fit`` calls).

    t_ : int
        ``n_iter_ * n_samples + 1``, as scikit-learn's SGD counts it: every
        epoch adds the rows of the ``X`` passed (the validation rows of
        ``early_stopping`` included), and ``partial_fit`` adds to it.

    loss_curve_ : list of float
        Mean training objective (loss plus penalty) at the end of each epoch
        (each iteration with ``solver='lbfgs'``; an L-BFGS fit that takes no
        step adds the objective it started from).

    best_loss_ : float or None
        The lowest value of ``loss_curve_``; None with ``early_stopping``.

    validation_scores_ : list of float or None
        Score (R² or accuracy) on the held-out validation set after each
        epoch, with ``early_stopping``; None otherwise.

    best_validation_score_ : float or None
        The best of ``validation_scores_``, whose weights the model keeps;
        None without ``early_stopping``.

""" + FEATURES_IN + """
    module_ : torch.nn.Module
        The trained torch module, for export.
"""

# ----------------------------------------------- MLPRegressor, MLPClassifier
MLP_PARAMETERS = """
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The i-th element is the number of neurons in the i-th hidden layer.

    activation : {'identity', 'logistic', 'tanh', 'relu', 'gelu', \
'leaky_relu', 'elu'}, default='relu'
        Activation of the hidden layers.

    solver : {'sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'lbfgs'}, \
default='adam'
        The torch optimizer. ``'sgd'`` honours ``momentum`` and
        ``nesterovs_momentum``; ``'lbfgs'`` is full batch and honours
        ``max_iter`` and ``max_fun``.

    alpha : float, default=0.0001
        Strength of the penalty, scaled as scikit-learn's MLP scales its L2
        term: divided by the total sample weight of each batch (its number of
        rows times the mean sample weight).
        Values must be in the range `[0.0, inf)`.

    batch_size : int, 'auto' or None, default='auto'
        Samples per update; ``'auto'`` is ``min(200, n_samples)`` and None is
        full-batch gradient descent. ``'lbfgs'`` is always full batch.

    learning_rate : str, default='constant'
        Schedule of the learning rate: ``'constant'``, ``'invscaling'``
        (``learning_rate_init / (t + 1) ** power_t`` with ``t`` the samples
        seen, once per epoch) and ``'adaptive'`` keep scikit-learn's meaning;
        ``'linear'``, ``'exponential'``, ``'step'``, ``'cosine'``,
        ``'restarts'`` and ``'warm_restarts'`` are stepped once per epoch
        (see ``gamma`` and ``step_size``). Unlike scikit-learn's MLP, every
        schedule applies to every stochastic solver.

    learning_rate_init : float, default=0.001
        The initial learning rate. Values must be in the range `(0.0, inf)`.

    power_t : float, default=0.5
        Exponent of the ``'invscaling'`` schedule.

    max_iter : int, default=200
        Maximum number of epochs (stochastic solvers) or iterations (L-BFGS).

    shuffle : bool, default=True
        Whether to reshuffle the samples every epoch.

    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, shuffling, dropout and the validation
        split. An int makes a CPU fit bit-for-bit repeatable; torch's global
        RNG is never touched.

    tol : float, default=1e-4
        Training stops when the loss (or validation score) has not improved
        by at least ``tol`` for ``n_iter_no_change`` consecutive epochs.

    verbose : bool, default=False
        Print the loss of every epoch and show a progress bar.

    warm_start : bool, default=False
        Continue from the previous fit's weights and optimizer state.

    momentum : float, default=0.9
        Momentum of ``solver='sgd'``; in `[0, 1]`.

    nesterovs_momentum : bool, default=True
        Use Nesterov momentum with ``solver='sgd'``.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data, stop when its score stops
        improving, and restore the weights of the best epoch.

    validation_fraction : float, default=0.1
        Fraction of the data held out for early stopping.

""" + BETAS + """
    epsilon : float, default=1e-8
        Numerical stability term of Adam, AdamW, RMSprop and Adagrad.

    n_iter_no_change : int, default=10
        Epochs without improvement by ``tol`` before stopping.

    max_fun : int, default=15000
        Maximum number of loss evaluations of ``'lbfgs'``.

    penalty : {'l2', 'l1', 'elasticnet'} or None, default='l2'
        Regularisation of the weights (never of the biases). ``'l2'`` is
        scikit-learn's; ``'l1'`` and ``'elasticnet'`` give exact zeros by a
        proximal step after every update (with ``'lbfgs'`` the L1 term is a
        subgradient and gives no exact zeros).

""" + L1_RATIO + """
    dropout : float, default=0.0
        Dropout rate after every hidden activation during training, in
        `[0.0, 1.0)`. Off at predict time.

""" + GAMMA_STEP_SIZE + """
"""

MLP_ATTRIBUTES = """
    loss_ : float
        The training objective at the end of the last epoch.

    best_loss_ : float or None
        The lowest training objective reached; None with early stopping.

    loss_curve_ : list of float
        The training objective (loss plus penalty) after every epoch (every
        iteration with ``solver='lbfgs'``; an L-BFGS fit that takes no step
        adds the objective it started from).

    validation_scores_ : list of float or None
        Validation score after every epoch, with early stopping; else None.

    best_validation_score_ : float or None
        The best validation score, with early stopping; else None.

    t_ : int
        Number of training samples seen.

    coefs_ : list of ndarray
        The i-th element is the weight matrix of layer i, of shape
        (n_inputs_i, n_outputs_i) as in scikit-learn.

    intercepts_ : list of ndarray
        The i-th element is the bias vector of layer i + 1.

""" + FEATURES_IN + """
    n_iter_ : int
        Number of epochs (or L-BFGS iterations) run by the last ``fit``, also
        when it was warm-started, as in scikit-learn (cumulative over
        ``partial_fit`` calls).

    n_layers_ : int
        Number of layers, input and output included.

    n_outputs_ : int
        Number of outputs.

    out_activation_ : str
        Name of the output activation.

    module_ : torch.nn.Module
        The trained torch module, for export; it outputs raw values (logits
        for a classifier).
"""
