#!/usr/bin/python3
"""Reference outputs of masked recurrent layers: Keras' masking semantics written out in NumPy, with PyTorch's
pack_padded_sequence as a second, independent check of the final states for post-padded sequences.

Keras (keras.src.backend ... rnn with a mask, zero_output_for_mask=False, the default of SimpleRNN, LSTM and GRU):
at a masked step the states are carried over unchanged and the output is the previous output (zeros before the
first step with data); return_sequences=False returns the output of the last step, i.e. the last output with data.

Cells in Keras' layout: SimpleRNN h = tanh(x W + h U + b); LSTM gates i, f, c, o; GRU gates z, r, h with
reset_after=True (bias [2, 3u]) or False (bias [3u]).

The "loss_cases" check that a mask reaches the loss: a masked recurrent layer with return_sequences, a Dense layer on
every step and a loss with Keras 3's normalisation (keras/src/losses/loss.py, reduction "sum_over_batch_size"):
the per-step losses (MSE: mean over the features; categorical cross-entropy: -sum t log clip(p)) are weighted by the
mask times total/valid (apply_mask), summed and divided by the total number of steps (reduce_values), i.e. the sum
over unmasked steps divided by their number. The forward pass is the Keras loop above written in PyTorch, and the
gradients of the weights come from PyTorch's autograd.

The "metric_cases" check what the trainer reports: Keras 3's evaluate (loss per batch, averaged weighted by batch
size; accuracy with the output mask as sample weights), see make_metric_case.

Regenerate with:  /usr/bin/python3 NeuralNet.Tests/Data/make_masking_reference.py > NeuralNet.Tests/Data/masking_reference.json
(requires Debian's python3-numpy and python3-torch; the C# tests only read the JSON)
"""
import json

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence

rng = np.random.default_rng(20261205)


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def simple_rnn_cell(x, states, w):
    k, r, b = w
    h = np.tanh(x @ k + states[0] @ r + b)
    return h, [h]


def lstm_cell(x, states, w):
    k, r, b = w
    h, c = states
    u = h.shape[1]
    z = x @ k + h @ r + b
    i, f, g, o = sigmoid(z[:, :u]), sigmoid(z[:, u:2 * u]), np.tanh(z[:, 2 * u:3 * u]), sigmoid(z[:, 3 * u:])
    c2 = f * c + i * g
    h2 = o * np.tanh(c2)
    return h2, [h2, c2]


def gru_cell(reset_after):
    def cell(x, states, w):
        k, r, b = w
        h = states[0]
        u = h.shape[1]
        if reset_after:
            xw = x @ k + b[0]
            hu = h @ r + b[1]
            z = sigmoid(xw[:, :u] + hu[:, :u])
            rg = sigmoid(xw[:, u:2 * u] + hu[:, u:2 * u])
            hh = np.tanh(xw[:, 2 * u:] + rg * hu[:, 2 * u:])
        else:
            xw = x @ k + b
            z = sigmoid(xw[:, :u] + h @ r[:, :u])
            rg = sigmoid(xw[:, u:2 * u] + h @ r[:, u:2 * u])
            hh = np.tanh(xw[:, 2 * u:] + (rg * h) @ r[:, 2 * u:])
        h2 = z * h + (1 - z) * hh
        return h2, [h2]
    return cell


def keras_masked_rnn(cell, x, mask, initial):
    """Keras' loop: new states where the mask is set, old states elsewhere; output = previous output where masked."""
    batch, time, _ = x.shape
    states = [s.copy() for s in initial]
    prev_output = None
    outputs = []
    for t in range(time):
        out, new_states = cell(x[:, t, :], states, weights)
        if prev_output is None:
            prev_output = np.zeros_like(out)
        m = mask[:, t][:, None]
        out = np.where(m, out, prev_output)
        states = [np.where(m, ns, s) for ns, s in zip(new_states, states)]
        prev_output = out
        outputs.append(out)
    return np.stack(outputs, axis=1), outputs[-1], states


def lst(a):
    a = np.asarray(a, dtype=float)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def torch_final_states(layer, w, x, lengths, units, reset_after):
    """Final states of the post-padded batch from PyTorch's packed sequences (weights converted from Keras' layout)."""
    k, r, b = (torch.tensor(a) for a in w)
    n_in = x.shape[2]
    if layer == "lstm":
        m = torch.nn.LSTM(n_in, units, batch_first=True).double()
        bias_ih, bias_hh = b, torch.zeros_like(b)
        wk, wr = k.T, r.T
    elif layer == "gru":
        if not reset_after:
            return None
        m = torch.nn.GRU(n_in, units, batch_first=True).double()
        order = [1, 0, 2]  # torch r, z, n  <-  keras z, r, h

        def re(t):
            return torch.cat([t[..., i * units:(i + 1) * units] for i in order], dim=-1)
        wk, wr, bias_ih, bias_hh = re(k).T, re(r).T, re(b[0]), re(b[1])
    else:
        m = torch.nn.RNN(n_in, units, batch_first=True, nonlinearity="tanh").double()
        wk, wr, bias_ih, bias_hh = k.T, r.T, b, torch.zeros_like(b)
    with torch.no_grad():
        m.weight_ih_l0.copy_(wk)
        m.weight_hh_l0.copy_(wr)
        m.bias_ih_l0.copy_(bias_ih)
        m.bias_hh_l0.copy_(bias_hh)
        packed = pack_padded_sequence(torch.tensor(x), torch.tensor(lengths), batch_first=True, enforce_sorted=False)
        _, hn = m(packed)
    if layer == "lstm":
        return [hn[0][0].numpy(), hn[1][0].numpy()]
    return [hn[0].numpy()]


def make(layer, units, n_in, mask, reset_after=True, initial_scale=0.0):
    global weights
    batch, time = mask.shape
    u = units
    gates = {"simple_rnn": 1, "lstm": 4, "gru": 3}[layer]
    k = rng.uniform(-0.6, 0.6, (n_in, gates * u))
    r = rng.uniform(-0.6, 0.6, (u, gates * u))
    b = rng.uniform(-0.3, 0.3, (2, 3 * u) if layer == "gru" and reset_after else (gates * u,))
    weights = [k, r, b]
    x = rng.uniform(-1, 1, (batch, time, n_in))
    x[~mask] = 0.0  # padding; the layer must not read it anyway
    n_states = 2 if layer == "lstm" else 1
    initial = [rng.uniform(-1, 1, (batch, u)) * initial_scale for _ in range(n_states)]
    cell = {"simple_rnn": simple_rnn_cell, "lstm": lstm_cell, "gru": gru_cell(reset_after)}[layer]
    seq, last, states = keras_masked_rnn(cell, x, mask, initial)
    case = {"layer": layer, "units": u, "reset_after": reset_after, "weights": [lst(w) for w in weights],
            "input": lst(x), "mask": [[bool(v) for v in row] for row in mask],
            "initial_states": [lst(s) for s in initial] if initial_scale else None,
            "sequence": lst(seq), "last": lst(last), "states": [lst(s) for s in states]}
    lengths = mask.sum(axis=1)
    post_padded = all(mask[i, :lengths[i]].all() and not mask[i, lengths[i]:].any() for i in range(batch))
    if post_padded and not initial_scale and lengths.min() > 0:
        torch_states = torch_final_states(layer, weights, x, lengths.tolist(), u, reset_after)
        if torch_states is not None:
            case["torch_states"] = [lst(s) for s in torch_states]
    return case


post = np.array([[True] * 6, [True] * 3 + [False] * 3, [True] + [False] * 5])
holes = np.array([[False, True, False, True, True, False],
                  [True, True, False, False, True, True],
                  [False, False, False, False, False, False]])
cases = []
for layer in ("simple_rnn", "lstm", "gru"):
    cases.append(make(layer, 3, 2, post))
    cases.append(make(layer, 4, 3, holes))
    cases.append(make(layer, 3, 2, holes, initial_scale=1.0))
cases.append(make("gru", 3, 2, post, reset_after=False))
cases.append(make("gru", 2, 3, holes, reset_after=False, initial_scale=1.0))


def torch_sigmoid_cell(layer):
    def simple(x, states, w):
        k, r, b = w
        h = torch.tanh(x @ k + states[0] @ r + b)
        return h, [h]

    def lstm(x, states, w):
        k, r, b = w
        h, c = states
        u = h.shape[1]
        z = x @ k + h @ r + b
        i, f, g, o = torch.sigmoid(z[:, :u]), torch.sigmoid(z[:, u:2 * u]), torch.tanh(z[:, 2 * u:3 * u]), torch.sigmoid(z[:, 3 * u:])
        c2 = f * c + i * g
        return o * torch.tanh(c2), [o * torch.tanh(c2), c2]
    return {"simple_rnn": simple, "lstm": lstm}[layer]


def make_loss_case(layer, units, n_in, n_out, mask, loss):
    batch, time = mask.shape
    gates = {"simple_rnn": 1, "lstm": 4}[layer]
    w_np = [loss_rng.uniform(-0.6, 0.6, (n_in, gates * units)), loss_rng.uniform(-0.6, 0.6, (units, gates * units)),
            loss_rng.uniform(-0.3, 0.3, (gates * units,)), loss_rng.uniform(-0.8, 0.8, (units, n_out)),
            loss_rng.uniform(-0.3, 0.3, (n_out,))]
    x = loss_rng.uniform(-1, 1, (batch, time, n_in))
    x[~mask] = 0.0
    if loss == "mse":
        target = loss_rng.uniform(-1, 1, (batch, time, n_out))
    else:
        target = np.eye(n_out)[loss_rng.integers(0, n_out, (batch, time))]
    w = [torch.tensor(a, requires_grad=True) for a in w_np]
    cell = torch_sigmoid_cell(layer)
    states = [torch.zeros(batch, units, dtype=torch.float64) for _ in range(2 if layer == "lstm" else 1)]
    m = torch.tensor(mask)
    prev = torch.zeros(batch, units, dtype=torch.float64)
    outs = []
    for t in range(time):
        out, new_states = cell(torch.tensor(x[:, t, :]), states, w[:3])
        mt = m[:, t][:, None]
        out = torch.where(mt, out, prev)
        states = [torch.where(mt, ns, s) for ns, s in zip(new_states, states)]
        prev = out
        outs.append(out)
    seq = torch.stack(outs, dim=1)
    y = seq @ w[3] + w[4]
    tt = torch.tensor(target)
    if loss == "mse":
        per_step = ((y - tt) ** 2).mean(dim=-1)
    else:
        p = torch.softmax(y, dim=-1)
        per_step = -(tt * torch.log(p.clamp(1e-7, 1 - 1e-7))).sum(dim=-1)
    # Keras' apply_mask and reduce_values for "sum_over_batch_size".
    mf = m.to(torch.float64)
    total = float(mf.numel())
    valid = mf.sum()
    weights = mf * (total / valid)
    value = (per_step * weights).sum() / total
    value.backward()
    return {"layer": layer, "units": units, "outputs": n_out, "loss": loss, "weights": [lst(a) for a in w_np],
            "input": lst(x), "mask": [[bool(v) for v in row] for row in mask], "target": lst(target),
            "value": float(value.item()), "gradients": [lst(a.grad.numpy()) for a in w]}


# A separate generator, so the cases above stay as they were.
loss_rng = np.random.default_rng(20261206)
loss_cases = [make_loss_case("simple_rnn", 3, 2, 2, post, "mse"),
              make_loss_case("lstm", 3, 2, 3, holes[:2], "cce"),
              make_loss_case("simple_rnn", 4, 3, 3, post, "cce")]


def make_metric_case(layer, units, n_in, n_out, lengths, time, batch_size):
    """Keras 3's model.evaluate(x, y, batch_size) with metrics=["accuracy"] on a masked recurrent layer with
    return_sequences and a Dense layer on every step, with and without the mask.

    Loss: per batch the masked mean above (apply_mask with "sum_over_batch_size"), and the epoch's loss is
    keras.metrics.Mean over the batch losses with sample_weight = batch size (backend/*/trainer.py: _loss_tracker).
    Accuracy: MeanMetricWrapper (keras/src/metrics/reduction_metrics.py) with categorical_accuracy (argmax of target
    and prediction equal) or binary_accuracy (prediction > 0.5 equals the target) per step; the mask of y_pred becomes
    the sample weight (apply_mask with reduction "sum": 1 or 0), and reduce_to_samplewise_values / Mean.update_state
    accumulate total += sum(mean_t(values * w)), count += sum(mean_t(w)); the result is total / count (divide_no_nan).
    Without the mask every step counts (sample_weight None: count += batch size).
    """
    n = len(lengths)
    mask = np.array([[t < length for t in range(time)] for length in lengths])
    gates = {"simple_rnn": 1, "lstm": 4}[layer]
    w = [metric_rng.uniform(-0.8, 0.8, (n_in, gates * units)), metric_rng.uniform(-0.6, 0.6, (units, gates * units)),
         metric_rng.uniform(-0.3, 0.3, (gates * units,)), metric_rng.uniform(-1.5, 1.5, (units, n_out)),
         metric_rng.uniform(-0.3, 0.3, (n_out,))]
    x = metric_rng.uniform(-1, 1, (n, time, n_in))
    x[~mask] = 7.0 + metric_rng.uniform(0, 1, (int((~mask).sum()), n_in))  # padding values the masked model never reads
    if n_out == 1:
        target = metric_rng.integers(0, 2, (n, time, 1)).astype(float)
    else:
        target = np.eye(n_out)[metric_rng.integers(0, n_out, (n, time))]
    cell = {"simple_rnn": simple_rnn_cell, "lstm": lstm_cell}[layer]

    def forward(xb, mb):
        states = [np.zeros((xb.shape[0], units)) for _ in range(2 if layer == "lstm" else 1)]
        prev = np.zeros((xb.shape[0], units))
        outs = []
        for t in range(time):
            out, new_states = cell(xb[:, t, :], states, w[:3])
            m = mb[:, t][:, None]
            out = np.where(m, out, prev)
            states = [np.where(m, ns, s) for ns, s in zip(new_states, states)]
            prev = out
            outs.append(out)
        y = np.stack(outs, axis=1) @ w[3] + w[4]
        if n_out == 1:
            return sigmoid(y)
        e = np.exp(y - y.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def evaluate(masked):
        loss_total = loss_count = acc_total = acc_count = 0.0
        for start in range(0, n, batch_size):
            sl = slice(start, min(n, start + batch_size))
            mb = mask[sl] if masked else np.ones_like(mask[sl])
            p, tt = forward(x[sl], mb), target[sl]
            pc = np.clip(p, 1e-7, 1 - 1e-7)
            if n_out == 1:
                per_step = -(tt * np.log(pc) + (1 - tt) * np.log(1 - pc)).mean(axis=-1)
                values = ((p > 0.5).astype(float) == tt).astype(float)[..., 0]
            else:
                per_step = -(tt * np.log(pc)).sum(axis=-1)
                values = (np.argmax(tt, axis=-1) == np.argmax(p, axis=-1)).astype(float)
            if masked:
                total, valid = float(mb.size), float(mb.sum())
                weights = np.where(mb, total / valid if valid else 0.0, 0.0)
                batch_loss = (per_step * weights).sum() / total
                sw = mb.astype(float)
                acc_total += (values * sw).mean(axis=1).sum()
                acc_count += sw.mean(axis=1).sum()
            else:
                batch_loss = per_step.mean()
                acc_total += values.mean(axis=1).sum()
                acc_count += values.shape[0]
            bs = float(p.shape[0])
            loss_total += batch_loss * bs
            loss_count += bs
        return loss_total / loss_count, (acc_total / acc_count if acc_count else 0.0)

    masked_loss, masked_acc = evaluate(True)
    loss, acc = evaluate(False)
    return {"layer": layer, "units": units, "outputs": n_out, "lengths": list(lengths), "batch_size": batch_size,
            "weights": [lst(a) for a in w], "input": lst(x), "target": lst(target),
            "masked": {"loss": float(masked_loss), "accuracy": float(masked_acc)},
            "unmasked": {"loss": float(loss), "accuracy": float(acc)}}


# Again a separate generator: the cases above stay as they were.
metric_rng = np.random.default_rng(20261207)
metric_cases = [make_metric_case("simple_rnn", 4, 2, 3, [6, 3, 1, 4, 2], 6, 2),
                make_metric_case("lstm", 3, 2, 1, [5, 2, 4, 1, 3, 5, 2], 5, 3)]
print(json.dumps({"generator": f"numpy {np.__version__}, torch {torch.__version__}", "cases": cases, "loss_cases": loss_cases,
                  "metric_cases": metric_cases}))
