"""Which path a linear model's fit took: the compiled kernel (its lane, or
the torch path's compiled epoch) or torch's steps."""

import skopt_est.linear_model as linear_model
from skopt_est._engine.kernel import eligibility


def spy_kernel_use(monkeypatch) -> list:
    """Record, fit after fit, whether the compiled kernel ran it: True for
    a lane fit (``kernel.lane``) and for each kernel kind the torch path
    chose, False for each time the torch path found none."""
    calls = []
    lane_spec, kernel_kind = linear_model.lane_spec, eligibility.kernel_kind

    def lane(*args, **kwargs):
        spec = lane_spec(*args, **kwargs)
        if spec is not None:
            calls.append(True)
        return spec

    def torch_path(*args):
        kind = kernel_kind(*args)
        calls.append(kind is not None)
        return kind

    monkeypatch.setattr(linear_model, "lane_spec", lane)
    monkeypatch.setattr(eligibility, "kernel_kind", torch_path)
    return calls
