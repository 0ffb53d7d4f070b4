import os
import time

import numpy as np
import pytest
from scipy.optimize import OptimizeResult

from skopt_est.callbacks import CheckpointSaver, DeadlineStopper, DeltaYStopper, load


def test_delta_y_stopper_needs_n_best_close_values():
    stopper = DeltaYStopper(0.01, n_best=3)
    assert not stopper(OptimizeResult(func_vals=[0.5, 0.501]))
    assert not stopper(OptimizeResult(func_vals=[0.5, 0.501, 0.6]))
    assert stopper(OptimizeResult(func_vals=[0.5, 0.501, 0.505, 0.9]))


def test_delta_y_stopper_ignores_failed_values():
    stopper = DeltaYStopper(0.01, n_best=2)
    assert not stopper(OptimizeResult(func_vals=[0.5, float("nan")]))


def test_deadline_stopper_stops_before_running_out():
    stopper = DeadlineStopper(total_time=0.3)
    assert not stopper(None)
    time.sleep(0.2)
    # the last round took 0.2 s and less than that is left
    assert stopper(None)


def test_checkpoint_saver_writes_atomically(tmp_path):
    path = tmp_path / "ck.pkl"
    saver = CheckpointSaver(path, compress=3)
    assert saver(OptimizeResult(fun=1.0, x=[1])) is False
    assert saver(OptimizeResult(fun=0.5, x=[2])) is False
    assert load(path).fun == 0.5
    assert os.listdir(tmp_path) == ["ck.pkl"]  # no temporary file left


def test_checkpoint_saver_keeps_old_file_when_dump_fails(tmp_path):
    path = tmp_path / "ck.pkl"
    CheckpointSaver(path)(OptimizeResult(fun=1.0))
    with pytest.raises(Exception):
        CheckpointSaver(path)(OptimizeResult(fun=lambda: None))  # not picklable
    assert load(path).fun == 1.0
    assert os.listdir(tmp_path) == ["ck.pkl"]


def test_stoppers_share_the_early_stopper_base():
    from skopt_est.callbacks import (
        DeadlineStopper,
        DeltaXStopper,
        DeltaYStopper,
        EarlyStopper,
        HollowIterationsStopper,
        ThresholdStopper,
    )

    for stopper in (
        DeadlineStopper(10.0),
        DeltaXStopper(0.1),
        DeltaYStopper(0.1),
        HollowIterationsStopper(2),
        ThresholdStopper(0.0),
    ):
        assert isinstance(stopper, EarlyStopper)
    with pytest.raises(NotImplementedError, match="_criterion"):
        EarlyStopper()(OptimizeResult(func_vals=[1.0]))


def test_threshold_stopper_stops_at_or_below_threshold():
    from skopt_est.callbacks import ThresholdStopper

    stopper = ThresholdStopper(0.5)
    assert stopper(OptimizeResult(fun=0.5)) and stopper(OptimizeResult(fun=0.1))
    assert not stopper(OptimizeResult(fun=0.6))
    assert not stopper(OptimizeResult(fun=np.nan))


def test_hollow_iterations_stopper_judges_the_last_n_iterations():
    from skopt_est.callbacks import HollowIterationsStopper

    stopper = HollowIterationsStopper(n_iterations=2, threshold=0.2)
    assert not stopper(OptimizeResult(func_vals=[5.0, 4.0]))  # too few
    assert not stopper(OptimizeResult(func_vals=[5.0, 4.0, 3.0]))  # improved by 2
    assert stopper(OptimizeResult(func_vals=[5.0, 4.0, 4.0, 3.9]))  # only 0.1
    assert stopper(OptimizeResult(func_vals=[5.0, 4.0, np.nan, 4.5]))


def test_delta_x_stopper_measures_the_last_two_points():
    from skopt_est.callbacks import DeltaXStopper

    stopper = DeltaXStopper(0.1)
    assert not stopper(OptimizeResult(x_iters=[[0.5]]))
    assert stopper(OptimizeResult(x_iters=[[0.0, 3], [0.5, 3], [0.45, 3]]))
    assert not stopper(OptimizeResult(x_iters=[[0.5, "a"], [0.5, "b"]]))


def test_timer_callback_records_one_duration_per_round():
    from skopt_est.callbacks import TimerCallback

    timer = TimerCallback()
    for _ in range(3):
        assert timer(None) is False
    assert len(timer.iter_time) == 3 and all(t >= 0 for t in timer.iter_time)


def test_verbose_callback_prints_each_new_evaluation(capsys):
    from skopt_est.callbacks import VerboseCallback

    callback = VerboseCallback(n_total=4, n_init=1, n_random=1)
    callback(OptimizeResult(func_vals=[2.0, 1.0], fun=1.0))
    callback(OptimizeResult(func_vals=[2.0, 1.0, 0.5], fun=0.5))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and callback.iter_no == 3
    assert "1/4 (user point)" in lines[0] and "2/4 (initial design)" in lines[1]
    assert "3/4 (model-based): f(x) = 0.5, best 0.5" in lines[2]


def test_callbacks_module_keeps_dump_and_load():
    from skopt_est import callbacks, utils

    assert callbacks.load is utils.load and callbacks.dump is utils.dump


# ------------------------ issue 24: the rest of scikit-optimize's skopt.callbacks
def test_check_callback_gives_a_list_of_callables():
    from skopt_est.callbacks import check_callback

    assert check_callback(None) == [] and check_callback(print) == [print]
    assert check_callback([print, len]) == [print, len]
    assert check_callback((print,)) == [print]
    for bad in ("stop", [print, 3], 3):
        with pytest.raises(ValueError, match="^callback should be either a "
                                             "callable or a list of callables"):
            check_callback(bad)


def test_std_stopper_reads_the_target_spread_of_each_model(capsys):
    from types import SimpleNamespace

    from skopt_est.callbacks import EarlyStopper, StdStopper

    def models(*spreads):
        return OptimizeResult(models=[SimpleNamespace(y_train_std_=s)
                                      for s in spreads])

    stopper = StdStopper(threshold=0.5, log_interval=2)
    assert isinstance(stopper, EarlyStopper)
    assert not stopper(OptimizeResult(models=[]))
    assert not stopper(models(3.0))
    assert stopper(models(3.0, 0.5)) and "2 models" in capsys.readouterr().out
    assert not stopper(models(3.0, 0.6))


def test_std_stopper_works_on_a_gp_minimize_run():
    from skopt_est import gp_minimize
    from skopt_est.callbacks import StdStopper, _target_std

    res = gp_minimize(lambda x: (x[0] - 0.2) ** 2, [(-1.0, 1.0)], n_calls=6,
                      n_initial_points=3, random_state=0)
    # the k-th model was fitted to the first n_initial_points + k values
    spreads = [np.std(res.func_vals[:n]) for n in range(3, 7)]
    assert [_target_std(m) for m in res.models] == pytest.approx(spreads)
    assert StdStopper(min(spreads) * 1.001, log_interval=100)(res)
    assert not StdStopper(min(spreads) * 0.999, log_interval=100)(res)


def test_checkpoint_saver_passes_dump_options_to_skopt_est_dump(tmp_path):
    from skopt_est import gp_minimize

    def objective(x):  # a local function: only store_objective=False dumps it
        return x[0] ** 2

    path = tmp_path / "ck.pkl"
    saver = CheckpointSaver(path, store_objective=False)
    res = gp_minimize(objective, [(-1.0, 1.0)], n_calls=3, n_initial_points=3,
                      random_state=0, callback=saver)
    assert "func" not in load(path).specs["args"] and load(path).x_iters == \
        res.x_iters


def test_checkpoint_saver_compresses_by_the_file_extension(tmp_path):
    path = tmp_path / "ck.pkl.gz"
    CheckpointSaver(path)(OptimizeResult(x_iters=[[0.0]] * 5000))
    with open(path, "rb") as f:
        assert f.read(2) == b"\x1f\x8b"  # gzip's magic number
    assert os.listdir(tmp_path) == ["ck.pkl.gz"]


def test_checkpoint_saver_load_resumes_gp_minimize(tmp_path):
    from skopt_est import gp_minimize

    saver = CheckpointSaver(tmp_path / "ck.pkl", store_objective=False)
    assert saver.load() == {}
    first = gp_minimize(lambda x: (x[0] - 0.2) ** 2, [(-1.0, 1.0)], n_calls=4,
                        n_initial_points=3, random_state=0, callback=saver)
    previous = saver.load()
    assert previous == {"x0": first.x_iters, "y0": list(first.func_vals)}
    resumed = gp_minimize(lambda x: (x[0] - 0.2) ** 2, [(-1.0, 1.0)], n_calls=2,
                          n_initial_points=1, random_state=0, **previous)
    assert resumed.x_iters[:4] == first.x_iters and len(resumed.x_iters) == 6
