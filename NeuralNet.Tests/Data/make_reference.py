#!/usr/bin/python3
"""Reference outputs and gradients for NeuralNet's recurrent and convolution layers, computed by PyTorch.

Weights are drawn in Keras' layout, converted to PyTorch's layout, pushed through torch.nn modules
(or, for GRU with reset_after=False, Keras' formula written out in torch), and the gradients of
    L = sum_k sum(upstream_k * output_k)
are converted back to Keras' layout. Everything is float64.

Regenerate with:  /usr/bin/python3 NeuralNet.Tests/Data/make_reference.py > NeuralNet.Tests/Data/torch_reference.json
(requires python3-torch; the C# tests only read the JSON)
"""
import json
import math

import torch
import torch.nn.functional as F

torch.manual_seed(20241128)
DT = torch.float64


def rnd(*shape, scale=0.5):
    return (torch.rand(*shape, dtype=DT) * 2 - 1) * scale


def arr(t):
    t = t.detach().contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def reorder(t, order, u):
    """Reorder gate blocks along the last axis: block k of the result is block order[k]."""
    blocks = [t[..., i * u:(i + 1) * u] for i in range(len(order))]
    return torch.cat([blocks[i] for i in order], dim=-1)


def finish(case, x, keras_weights, outputs, keras_grad_fn, torch_weights=None):
    upstream = [rnd(*o.shape, scale=1.0) for o in outputs]
    loss = sum((u * o).sum() for u, o in zip(upstream, outputs))
    loss.backward()
    case["input"] = arr(x)
    case["weights"] = [arr(w) for w in keras_weights]
    case["outputs"] = [arr(o) for o in outputs]
    case["upstream"] = [arr(u) for u in upstream]
    case["grad_input"] = arr(x.grad)
    case["grad_weights"] = [arr(g) for g in keras_grad_fn()]
    if torch_weights is not None:  # the same layer in PyTorch's layout (for SetTorchWeights)
        case["torch_weights"] = [arr(w) for w in torch_weights]
    return case


def split_bias(b):
    """PyTorch has two biases where Keras has one; split Keras' bias at random (they are summed)."""
    s = rnd(*b.shape)
    return b - s, s


def simple_rnn(batch, time, n_in, units):
    x = rnd(batch, time, n_in, scale=1.0).requires_grad_()
    k, r, b = rnd(n_in, units), rnd(units, units), rnd(units)
    m = torch.nn.RNN(n_in, units, batch_first=True, nonlinearity="tanh").double()
    with torch.no_grad():
        m.weight_ih_l0.copy_(k.T)
        m.weight_hh_l0.copy_(r.T)
        m.bias_ih_l0.copy_(b)
        m.bias_hh_l0.zero_()
    seq, h = m(x)
    case = {"layer": "simple_rnn", "units": units}
    return finish(case, x, [k, r, b], [seq, h[0]],
                  lambda: [m.weight_ih_l0.grad.T, m.weight_hh_l0.grad.T, m.bias_ih_l0.grad],
                  [k.T, r.T, *split_bias(b)])


def lstm(batch, time, n_in, units):
    x = rnd(batch, time, n_in, scale=1.0).requires_grad_()
    k, r, b = rnd(n_in, 4 * units), rnd(units, 4 * units), rnd(4 * units)
    m = torch.nn.LSTM(n_in, units, batch_first=True).double()
    with torch.no_grad():  # Keras gates i, f, c, o = torch gates i, f, g, o
        m.weight_ih_l0.copy_(k.T)
        m.weight_hh_l0.copy_(r.T)
        m.bias_ih_l0.copy_(b)
        m.bias_hh_l0.zero_()
    seq, (h, c) = m(x)
    case = {"layer": "lstm", "units": units}
    return finish(case, x, [k, r, b], [seq, h[0], c[0]],
                  lambda: [m.weight_ih_l0.grad.T, m.weight_hh_l0.grad.T, m.bias_ih_l0.grad],
                  [k.T, r.T, *split_bias(b)])


def gru_reset_after(batch, time, n_in, units):
    u = units
    x = rnd(batch, time, n_in, scale=1.0).requires_grad_()
    k, r, b = rnd(n_in, 3 * u), rnd(u, 3 * u), rnd(2, 3 * u)
    m = torch.nn.GRU(n_in, u, batch_first=True).double()
    keras_to_torch = [1, 0, 2]  # torch r, z, n  <-  keras z, r, h
    with torch.no_grad():
        m.weight_ih_l0.copy_(reorder(k, keras_to_torch, u).T)
        m.weight_hh_l0.copy_(reorder(r, keras_to_torch, u).T)
        m.bias_ih_l0.copy_(reorder(b[0], keras_to_torch, u))
        m.bias_hh_l0.copy_(reorder(b[1], keras_to_torch, u))
    seq, h = m(x)
    case = {"layer": "gru", "reset_after": True, "units": u}

    def grads():
        gb = torch.stack([reorder(m.bias_ih_l0.grad, keras_to_torch, u), reorder(m.bias_hh_l0.grad, keras_to_torch, u)])
        return [reorder(m.weight_ih_l0.grad.T, keras_to_torch, u), reorder(m.weight_hh_l0.grad.T, keras_to_torch, u), gb]

    return finish(case, x, [k, r, b], [seq, h[0]], grads,
                  [m.weight_ih_l0, m.weight_hh_l0, m.bias_ih_l0, m.bias_hh_l0])


def gru_reset_before(batch, time, n_in, units):
    """Keras GRU(reset_after=False), written out in torch (autograd supplies the gradients)."""
    u = units
    x = rnd(batch, time, n_in, scale=1.0).requires_grad_()
    k = rnd(n_in, 3 * u).requires_grad_()
    r = rnd(u, 3 * u).requires_grad_()
    b = rnd(3 * u).requires_grad_()
    h = torch.zeros(batch, u, dtype=DT)
    seq = []
    for t in range(time):
        xw = x[:, t, :] @ k + b
        z = torch.sigmoid(xw[:, :u] + h @ r[:, :u])
        rg = torch.sigmoid(xw[:, u:2 * u] + h @ r[:, u:2 * u])
        hh = torch.tanh(xw[:, 2 * u:] + (rg * h) @ r[:, 2 * u:])
        h = z * h + (1 - z) * hh
        seq.append(h)
    seq = torch.stack(seq, dim=1)
    case = {"layer": "gru", "reset_after": False, "units": u}
    return finish(case, x, [k, r, b], [seq, h], lambda: [k.grad, r.grad, b.grad])


def conv1d(batch, length, n_in, filters, kernel, stride, dilation, padding):
    x = rnd(batch, length, n_in, scale=1.0).requires_grad_()
    k, b = rnd(kernel, n_in, filters), rnd(filters)
    w = k.permute(2, 1, 0).contiguous().requires_grad_()  # torch [filters, in, k]
    bt = b.clone().requires_grad_()
    span = (kernel - 1) * dilation + 1
    if padding == "valid":
        left = right = 0
    elif padding == "same":  # TensorFlow: extra zero on the right
        out = math.ceil(length / stride)
        total = max((out - 1) * stride + span - length, 0)
        left, right = total // 2, total - total // 2
    else:  # causal
        left, right = (kernel - 1) * dilation, 0
    xt = F.pad(x.transpose(1, 2), (left, right))
    y = F.conv1d(xt, w, bt, stride=stride, dilation=dilation).transpose(1, 2)
    case = {"layer": "conv1d", "filters": filters, "kernel_size": kernel, "strides": stride,
            "dilation_rate": dilation, "padding": padding}
    return finish(case, x, [k, b], [y], lambda: [w.grad.permute(2, 1, 0), bt.grad], [w, bt])


cases = [
    simple_rnn(2, 5, 3, 4),
    simple_rnn(3, 4, 1, 3),
    lstm(2, 5, 3, 4),
    lstm(1, 6, 2, 3),
    gru_reset_after(2, 5, 3, 4),
    gru_reset_after(3, 3, 2, 2),
    gru_reset_before(2, 5, 3, 4),
    gru_reset_before(3, 3, 2, 2),
    conv1d(2, 9, 3, 4, 3, 1, 1, "valid"),
    conv1d(2, 11, 2, 3, 3, 2, 2, "valid"),
    conv1d(2, 9, 3, 4, 3, 1, 1, "same"),
    conv1d(2, 8, 2, 3, 4, 1, 1, "same"),
    conv1d(2, 7, 2, 3, 3, 2, 1, "same"),
    conv1d(2, 10, 2, 3, 2, 3, 2, "same"),
    conv1d(2, 9, 2, 3, 3, 1, 2, "causal"),
    conv1d(2, 9, 2, 3, 3, 2, 1, "causal"),
]
json.dump({"generator": "make_reference.py", "torch": torch.__version__, "cases": cases}, __import__("sys").stdout)
