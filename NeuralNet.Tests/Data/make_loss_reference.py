#!/usr/bin/python3
"""Reference values and gradients of NeuralNet's losses with reduction 'mean' and 'sum', computed by PyTorch.

Each case: predictions, targets, the loss from torch.nn.functional with reduction='mean' or 'sum'
(categorical cross-entropy on probabilities, which PyTorch has no function for, is -sum(t * log p) over the
class axis, reduced over rows, written in torch), and d loss / d predictions by autograd. float64.
Probabilities stay inside [0.05, 0.95] so Keras' clipping (1e-7) and PyTorch's log clamp (-100) never act.

Regenerate with:  /usr/bin/python3 NeuralNet.Tests/Data/make_loss_reference.py > NeuralNet.Tests/Data/torch_losses.json
(requires Debian's python3-torch; the C# tests only read the JSON)
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(20261205)
DT = torch.float64


def arr(t):
    t = t.detach().contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def uniform(shape, lo, hi):
    return lo + (hi - lo) * torch.rand(*shape, dtype=DT)


def soft_rows(shape):
    w = torch.rand(*shape, dtype=DT) + 0.1
    return w / w.sum(-1, keepdim=True)


def one_hot(shape):
    idx = torch.randint(0, shape[-1], shape[:-1])
    return F.one_hot(idx, shape[-1]).to(DT)


def class_axis_second(fn):
    """torch's cross_entropy wants [N, C, ...]; our tensors are [N, ..., C]."""
    def wrapped(p, t, reduction):
        if p.dim() == 2:
            return fn(p, t, reduction)
        return fn(p.movedim(-1, 1), t.movedim(-1, 1), reduction)
    return wrapped


def cce_probs(p, t, reduction):
    rows = -(t * torch.log(p)).sum(-1)
    return rows.mean() if reduction == "mean" else rows.sum()


LOSSES = {
    "mse": lambda p, t, r: F.mse_loss(p, t, reduction=r),
    "mae": lambda p, t, r: F.l1_loss(p, t, reduction=r),
    "huber1": lambda p, t, r: F.huber_loss(p, t, reduction=r, delta=1.0),
    "huber0.3": lambda p, t, r: F.huber_loss(p, t, reduction=r, delta=0.3),
    "bce": lambda p, t, r: F.binary_cross_entropy(p, t, reduction=r),
    "bce_logits": lambda p, t, r: F.binary_cross_entropy_with_logits(p, t, reduction=r),
    "cce_logits": class_axis_second(lambda p, t, r: F.cross_entropy(p, t, reduction=r)),
    "cce": cce_probs,
}


def data(loss, shape):
    if loss in ("mse", "mae", "huber1", "huber0.3"):
        return uniform(shape, -2, 2), uniform(shape, -2, 2)
    if loss == "bce":
        return uniform(shape, 0.05, 0.95), torch.bernoulli(torch.full(shape, 0.5, dtype=DT))
    if loss == "bce_logits":
        return uniform(shape, -4, 4), uniform(shape, 0, 1)
    if loss == "cce_logits":
        return uniform(shape, -3, 3), soft_rows(shape)
    p = soft_rows(shape).clamp(0.05, 0.95)
    return p, one_hot(shape)


cases = []
for loss in LOSSES:
    for shape in ((5, 3), (2, 3, 4)):
        for reduction in ("mean", "sum"):
            p, t = data(loss, shape)
            p.requires_grad_(True)
            value = LOSSES[loss](p, t, reduction)
            value.backward()
            cases.append({"loss": loss, "reduction": reduction, "predicted": arr(p), "target": arr(t),
                          "value": float(value), "gradient": arr(p.grad)})

print(json.dumps({"generator": f"torch {torch.__version__}", "cases": cases}))
