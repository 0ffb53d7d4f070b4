import os
import time

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
