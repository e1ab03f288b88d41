#!/usr/bin/python3
"""Reference outputs of scikit-learn's label_binarize and MultiLabelBinarizer for NeuralNet.Preprocessing.

Each case records the inputs, and either the output matrix or the fact that scikit-learn raised ValueError.
MultiLabelBinarizer cases record classes_, the transform, the labels scikit-learn warned about (ignored),
and inverse_transform of the result.

Regenerate with:  /usr/bin/python3 NeuralNet.Tests/Data/make_sklearn_binarizers.py > NeuralNet.Tests/Data/sklearn_binarizers.json
(requires Debian's python3-sklearn; the C# tests only read the JSON)
"""
import json
import warnings

import numpy as np
import sklearn
from sklearn.preprocessing import MultiLabelBinarizer, label_binarize


def plain(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, np.str_):
        return str(v)
    return v


def binarize_case(name, y, classes, neg=0, pos=1, indicator=False):
    case = {"name": name, "kind": "indicator" if indicator else "labels", "y": y, "classes": classes, "neg": neg, "pos": pos}
    try:
        out = label_binarize(np.array(y) if indicator else y, classes=classes, neg_label=neg, pos_label=pos)
        case["expected"] = np.asarray(out).tolist()
    except ValueError as e:
        case["error"] = str(e)
    return case


cases = []
# Label input: multiclass, given order, unknown labels, the two-class single column and its exceptions.
cases.append(binarize_case("multiclass", [1, 2, 6, 4, 2], [1, 2, 4, 6]))
cases.append(binarize_case("multiclass reordered classes", [1, 2, 6, 4, 2], [6, 4, 2, 1]))
cases.append(binarize_case("unknown labels give negative rows", [0, 5, 1, 7, 2], [0, 1, 2]))
cases.append(binarize_case("two classes one column", [1, 6, 6, 1], [1, 6]))
cases.append(binarize_case("two classes one column reversed", [1, 6, 6, 1], [6, 1]))
cases.append(binarize_case("two classes, binary labels with an unknown", [0, 5, 0, 5], [0, 1]))
cases.append(binarize_case("two classes, one distinct label", [3, 3], [3, 4]))
cases.append(binarize_case("two classes, three distinct labels give two columns", [0, 1, 2, 1], [0, 1]))
cases.append(binarize_case("one class, binary labels", [0, 1, 1], [0]))
cases.append(binarize_case("one class, one distinct label", [3, 3], [3]))
cases.append(binarize_case("one class, three distinct labels", [0, 1, 2, 0], [0]))
cases.append(binarize_case("neg -1 pos 1 multiclass", [1, 2, 6, 4], [1, 2, 4, 6], -1, 1))
cases.append(binarize_case("neg -1 pos 0 multiclass", [1, 2, 6, 4], [1, 2, 4, 6], -1, 0))
cases.append(binarize_case("neg -2 pos 3 binary", [1, 6, 6, 1], [1, 6], -2, 3))
cases.append(binarize_case("neg 0 pos 2 multiclass", [0, 2, 1], [0, 1, 2], 0, 2))
cases.append(binarize_case("neg -1 pos 0 binary", [1, 6, 6, 1], [1, 6], -1, 0))
cases.append(binarize_case("neg equals pos", [0, 1], [0, 1], 1, 1))
cases.append(binarize_case("neg above pos", [0, 1, 2], [0, 1, 2], 2, 1))
cases.append(binarize_case("strings", ["b", "a", "c", "a"], ["c", "a", "b"]))
cases.append(binarize_case("strings binary", ["spam", "ham", "ham"], ["ham", "spam"]))
cases.append(binarize_case("strings unknown", ["b", "z", "c"], ["a", "b", "c"]))
cases.append(binarize_case("strings ordinal case order", ["B", "a", "C"], ["a", "B", "C"]))
# Multilabel-indicator input.
Y = [[1, 0, 1], [0, 1, 0], [0, 0, 0], [1, 1, 1]]
cases.append(binarize_case("indicator", Y, [0, 1, 2], indicator=True))
cases.append(binarize_case("indicator reordered classes", Y, [2, 0, 1], indicator=True))
cases.append(binarize_case("indicator string classes", Y, ["b", "a", "c"], indicator=True))
cases.append(binarize_case("indicator neg -1 pos 1", Y, [0, 1, 2], -1, 1, indicator=True))
cases.append(binarize_case("indicator neg -1 pos 0", Y, [0, 1, 2], -1, 0, indicator=True))
cases.append(binarize_case("indicator neg 0 pos 5", Y, [0, 1, 2], 0, 5, indicator=True))
cases.append(binarize_case("indicator two classes keep two columns", [[1, 1], [0, 1], [1, 0]], [0, 1], indicator=True))
cases.append(binarize_case("indicator class count mismatch", Y, [0, 1], indicator=True))


def mlb_case(name, fit, transform=None, classes=None):
    case = {"name": name, "fit": [list(s) for s in fit], "classes": classes}
    mlb = MultiLabelBinarizer(classes=classes)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if transform is None:
            out = mlb.fit_transform(fit)
        else:
            mlb.fit(fit)
            out = mlb.transform(transform)
            case["transform"] = [list(s) for s in transform]
    case["classes_"] = [plain(c) for c in mlb.classes_]
    case["expected"] = np.asarray(out).tolist()
    case["warned"] = [str(w.message) for w in caught]
    case["inverse"] = [[plain(c) for c in t] for t in mlb.inverse_transform(np.asarray(out))]
    return case


mlb = []
mlb.append(mlb_case("fit_transform ints", [[1, 2], [3], [], [2, 3, 3]]))
mlb.append(mlb_case("fit_transform strings", [["sci-fi", "thriller"], ["comedy"], ["thriller", "Drama"]]))
mlb.append(mlb_case("given classes keep their order", [[1, 2], [3]], classes=[3, 1, 2]))
mlb.append(mlb_case("given classes, unknown label ignored", [[1, 4], [2]], classes=[2, 1]))
mlb.append(mlb_case("fit then transform new samples with unknowns", [[1, 2], [3]], transform=[[1, 5], [7, 3, 5], []]))
mlb.append(mlb_case("strings fit then transform", [["a", "b"], ["c"]], transform=[["c", "a"], ["z"], ["b", "b"]]))

print(json.dumps({"generator": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}", "label_binarize": cases, "multilabel_binarizer": mlb}, indent=1))
