#!/usr/bin/python3
"""Keras weight files in the exact group/dataset layouts Keras writes, made with h5py (no Keras needed), plus
inputs and the outputs a model with those weights computes, written out in NumPy.

Keras 3 (model.save_weights('x.weights.h5'), keras/src/saving/saving_lib.py H5IOStore):
    /layers/<layer name>/vars/<0, 1, ...>           a layer's own variables in order (kernel, bias)
    /layers/<rnn name>/cell/vars/<0, 1, 2>           SimpleRNN, LSTM, GRU keep theirs in the cell
    /layers/<name>/vars                              empty group for layers without variables
    /optimizer/vars, /vars                           empty here (no optimizer state)
Keras 2 (model.save_weights('x.h5'), hdf5_format.save_weights_to_hdf5_group):
    / attrs layer_names (every layer, model order), backend, keras_version
    /<layer name> attrs weight_names, e.g. [b'gru/gru_cell/kernel:0', ...]
    /<layer name>/<weight name>                      the dataset at that (nested) path

Regenerate with:  /usr/bin/python3 NeuralNet.Tests/Data/make_keras_weights.py
(requires Debian's python3-h5py and python3-numpy; writes NeuralNet.Tests/Data/keras/*)
"""
import json
import os

import h5py
import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras")
rng = np.random.default_rng(20261205)


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def causal_conv(x, k, b):
    ks = k.shape[0]
    xp = np.concatenate([np.zeros((x.shape[0], ks - 1, x.shape[2])), x], axis=1)
    return np.stack([np.einsum("bki,kif->bf", xp[:, t:t + ks, :], k) for t in range(x.shape[1])], axis=1) + b


def lstm_last(x, k, r, b):
    u = r.shape[0]
    h = np.zeros((x.shape[0], u))
    c = np.zeros_like(h)
    for t in range(x.shape[1]):
        z = x[:, t] @ k + h @ r + b
        i, f, g, o = sigmoid(z[:, :u]), sigmoid(z[:, u:2 * u]), np.tanh(z[:, 2 * u:3 * u]), sigmoid(z[:, 3 * u:])
        c = f * c + i * g
        h = o * np.tanh(c)
    return h


def gru_last(x, k, r, b):  # reset_after=True, bias [2, 3u]
    u = r.shape[0]
    h = np.zeros((x.shape[0], u))
    for t in range(x.shape[1]):
        xw = x[:, t] @ k + b[0]
        hu = h @ r + b[1]
        z = sigmoid(xw[:, :u] + hu[:, :u])
        rg = sigmoid(xw[:, u:2 * u] + hu[:, u:2 * u])
        hh = np.tanh(xw[:, 2 * u:] + rg * hu[:, 2 * u:])
        h = z * h + (1 - z) * hh
    return h


def u(*shape, scale=0.5):
    return rng.uniform(-scale, scale, shape)


def keras3(path, layers):
    """layers: list of (name, [arrays]) or (name, 'cell', [arrays]) or (name, None) for no variables."""
    with h5py.File(path, "w") as f:
        for entry in layers:
            name = entry[0]
            g = f.create_group(f"layers/{name}/vars")
            if len(entry) == 3:
                g = f.create_group(f"layers/{name}/cell/vars")
                arrays = entry[2]
            else:
                arrays = entry[1] or []
            for i, a in enumerate(arrays):
                g.create_dataset(str(i), data=a)
        f.create_group("optimizer/vars")
        f.create_group("vars")


def keras2(path, layers):
    """layers: list of (name, [(weight name, array)])."""
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([n.encode() for n, _ in layers], dtype="S")
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.15.0"
        for name, weights in layers:
            g = f.create_group(name)
            g.attrs["weight_names"] = np.array([w.encode() for w, _ in weights], dtype="S")
            for w, a in weights:
                g.create_dataset(w, data=a)


os.makedirs(HERE, exist_ok=True)
expected = {}

# 1. Dense - Dropout - Dense, Keras 3, float32 as Keras writes by default, with names whose alphabetical order is
#    not the model order.
x = u(6, 4, scale=1.0)
w0, b0, w1, b1 = (a.astype(np.float32) for a in (u(4, 5), u(5), u(5, 3), u(3)))
keras3(os.path.join(HERE, "mlp.weights.h5"),
       [("input_layer", None), ("dense_2", [w0, b0]), ("dropout", None), ("dense_10", [w1, b1])])
w0, b0, w1, b1 = (a.astype(np.float64) for a in (w0, b0, w1, b1))
expected["mlp"] = {"input": x.tolist(), "output": (np.tanh(x @ w0 + b0) @ w1 + b1).tolist()}

# 2. Conv1D(causal) - LSTM - Dense, Keras 3.
x = u(3, 7, 2, scale=1.0)
ck, cb = u(3, 2, 4), u(4)
lk, lr, lb = u(4, 12), u(3, 12), u(12)
dk, db = u(3, 2), u(2)
keras3(os.path.join(HERE, "conv_lstm.weights.h5"),
       [("input_layer", None), ("conv1d", [ck, cb]), ("lstm", "cell", [lk, lr, lb]), ("dense", [dk, db])])
h = lstm_last(np.maximum(causal_conv(x, ck, cb), 0.0), lk, lr, lb)
expected["conv_lstm"] = {"input": x.tolist(), "output": (h @ dk + db).tolist()}

# 3. Conv1D(causal) - GRU - Dense, Keras 2 layout.
x = u(3, 6, 1, scale=1.0)
ck, cb = u(2, 1, 3), u(3)
gk, gr, gb = u(3, 6), u(2, 6), u(2, 6)
dk, db = u(2, 1), u(1)
keras2(os.path.join(HERE, "conv_gru_keras2.h5"),
       [("input_1", []),
        ("conv1d", [("conv1d/kernel:0", ck), ("conv1d/bias:0", cb)]),
        ("gru", [("gru/gru_cell/kernel:0", gk), ("gru/gru_cell/recurrent_kernel:0", gr), ("gru/gru_cell/bias:0", gb)]),
        ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])])
h = gru_last(np.tanh(causal_conv(x, ck, cb)), gk, gr, gb)
expected["conv_gru_keras2"] = {"input": x.tolist(), "output": (h @ dk + db).tolist()}

with open(os.path.join(HERE, "expected.json"), "w") as f:
    json.dump({"generator": f"h5py {h5py.__version__}, numpy {np.__version__}", "models": expected}, f)
