#!/usr/bin/env python3
"""Writes the tiny ONNX sentence encoders the OnnxTextEncoder tests load, and the vectors they must produce.

Run with Debian's python3-onnx (1.12) and numpy:  /usr/bin/python3 make_model.py
It writes, beside itself:
  vocab.txt           BERT-style vocabulary: [PAD] [UNK] [CLS] [SEP] [MASK], Chinese characters in both scripts, a
                      Latin word piece pair (agv, ##s) and two punctuation marks; the line number is the token id.
  model.onnx          inputs input_ids, attention_mask, token_type_ids [batch, seq] int64;
                      output last_hidden_state [batch, seq, 6] float32.
  model-pooled.onnx   inputs input_ids, attention_mask (no token_type_ids); output sentence_embedding [batch, 6]:
                      the masked mean of the same hidden states, pooled inside the graph (not normalised).
  model-int32.onnx    model.onnx with int32 inputs (as some exports have).
  expected.json       for a few token-id sequences: the hidden states' CLS and masked-mean pooling, L2-normalised,
                      computed here with numpy alone (no ONNX Runtime), so the C# tests compare ONNX Runtime plus
                      OnnxTextEncoder against an independent computation.

The network is small but real: token embedding (Gather) + token type embedding + position embedding (sliced to the
sequence length; 128 positions, so a longer input fails as a BERT model does past its 512), a context vector (the
attention-masked mean of the embeddings, so padding must be masked to leave a text's vector unchanged), then
tanh(x W1 + ctx W2 + b1). Weights are drawn from a fixed seed: running the script again writes the same files.
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))

VOCAB = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
    # 5..30 Simplified
    "鱼", "塘", "死", "溶", "解", "氧", "在", "线", "监", "测",
    "仓", "库", "拣", "货", "慢", "冷", "链", "保", "鲜", "增",
    "气", "调", "果", "蔬", "期", "短",
    # 31..40 Traditional forms of some of them
    "魚", "線", "監", "測", "庫", "揀", "貨", "鏈", "鮮", "調",
    # 41..44 Latin word pieces and punctuation
    "agv", "##s", "，", "。",
]
HIDDEN, DIM, MAX_POSITIONS = 8, 6, 128

rng = np.random.RandomState(14)
EMB = rng.normal(0, 0.6, (len(VOCAB), HIDDEN)).astype(np.float32)
TYPES = rng.normal(0, 0.3, (2, HIDDEN)).astype(np.float32)
POSITIONS = rng.normal(0, 0.2, (MAX_POSITIONS, HIDDEN)).astype(np.float32)
W1 = rng.normal(0, 0.5, (HIDDEN, DIM)).astype(np.float32)
W2 = rng.normal(0, 0.5, (HIDDEN, DIM)).astype(np.float32)
B1 = rng.normal(0, 0.1, (DIM,)).astype(np.float32)


def hidden_states(ids, mask, types=None):
    """The network in numpy: ids, mask, types are [batch, seq] int arrays; returns [batch, seq, DIM]."""
    ids = np.asarray(ids, dtype=np.int64)
    mask = np.asarray(mask, dtype=np.float32)
    x = EMB[ids] + POSITIONS[: ids.shape[1]][None, :, :]
    if types is not None:
        x = x + TYPES[np.asarray(types, dtype=np.int64)]
    ctx = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    return np.tanh(x @ W1 + (ctx @ W2)[:, None, :] + B1)


def graph(with_types, pooled, index_type=TensorProto.INT64):
    inits = [
        numpy_helper.from_array(EMB, "word_embeddings"),
        numpy_helper.from_array(POSITIONS, "position_embeddings"),
        numpy_helper.from_array(W1, "w1"),
        numpy_helper.from_array(W2, "w2"),
        numpy_helper.from_array(B1, "b1"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "one"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "two"),
    ]
    nodes = [
        helper.make_node("Gather", ["word_embeddings", "input_ids"], ["tok"], axis=0),
        # position embeddings sliced to the sequence length
        helper.make_node("Shape", ["input_ids"], ["ids_shape"]),
        helper.make_node("Slice", ["ids_shape", "one", "two"], ["seq_len"]),
        helper.make_node("Slice", ["position_embeddings", "zero", "seq_len", "zero"], ["pos"]),
        helper.make_node("Add", ["tok", "pos"], ["tok_pos"]),
    ]
    inputs = [
        helper.make_tensor_value_info("input_ids", index_type, ["batch", "sequence"]),
        helper.make_tensor_value_info("attention_mask", index_type, ["batch", "sequence"]),
    ]
    x = "tok_pos"
    if with_types:
        inits.append(numpy_helper.from_array(TYPES, "token_type_embeddings"))
        inputs.append(helper.make_tensor_value_info("token_type_ids", index_type, ["batch", "sequence"]))
        nodes += [
            helper.make_node("Gather", ["token_type_embeddings", "token_type_ids"], ["typ"], axis=0),
            helper.make_node("Add", ["tok_pos", "typ"], ["x"]),
        ]
        x = "x"
    nodes += [
        # context: masked mean of the embeddings
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "two"], ["mask3"]),
        helper.make_node("Mul", [x, "mask3"], ["xm"]),
        helper.make_node("ReduceSum", ["xm", "one"], ["xsum"], keepdims=0),
        helper.make_node("ReduceSum", ["maskf", "one"], ["count"], keepdims=1),
        helper.make_node("Div", ["xsum", "count"], ["ctx"]),
        helper.make_node("MatMul", ["ctx", "w2"], ["ctx_proj"]),
        helper.make_node("Unsqueeze", ["ctx_proj", "one"], ["ctx3"]),
        helper.make_node("MatMul", [x, "w1"], ["xw"]),
        helper.make_node("Add", ["xw", "ctx3"], ["pre1"]),
        helper.make_node("Add", ["pre1", "b1"], ["pre"]),
    ]
    if pooled:
        nodes += [
            helper.make_node("Tanh", ["pre"], ["h"]),
            helper.make_node("Mul", ["h", "mask3"], ["hm"]),
            helper.make_node("ReduceSum", ["hm", "one"], ["hsum"], keepdims=0),
            helper.make_node("Div", ["hsum", "count"], ["sentence_embedding"]),
        ]
        outputs = [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", DIM])]
    else:
        nodes.append(helper.make_node("Tanh", ["pre"], ["last_hidden_state"]))
        outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", DIM])]
    g = helper.make_graph(nodes, "tiny_encoder", inputs, outputs, inits)
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="matching-tests")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def unit(v):
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


# Token ids written out by hand from VOCAB (not by a tokenizer), so the C# tests check the tokenizer against them.
CASES = {
    # 鱼塘死鱼，溶解氧在线监测。 (and its Traditional form 魚塘死魚，溶解氧在線監測。 after Traditional → Simplified)
    "fishpond": [2, 5, 6, 7, 5, 43, 8, 9, 10, 11, 12, 13, 14, 44, 3],
    # 仓库拣货慢，用AGVs调度 : 用 and 度 are not in the vocabulary → [UNK]; AGVs → agv ##s
    "warehouse": [2, 15, 16, 17, 18, 19, 43, 1, 41, 42, 26, 1, 3],
    # 果蔬冷链保鲜期短
    "coldchain": [2, 27, 28, 20, 21, 22, 23, 29, 30, 3],
    # 魚塘死魚，溶解氧在線監測。 with Traditional → Simplified turned off: the Traditional characters' own ids
    "fishpond_traditional_raw": [2, 31, 6, 7, 31, 43, 8, 9, 10, 11, 32, 33, 34, 44, 3],
}

expected = {"dimension": DIM, "cases": {}}
for name, ids in CASES.items():
    ids_a = np.array([ids])
    mask = np.ones_like(ids_a)
    h = hidden_states(ids_a, mask, np.zeros_like(ids_a))[0]
    h_no_types = hidden_states(ids_a, mask)[0]
    expected["cases"][name] = {
        "ids": ids,
        "cls": [float(v) for v in unit(h[0])],
        "mean": [float(v) for v in unit(h.mean(axis=0))],
        "pooled_model_mean": [float(v) for v in unit(h_no_types.mean(axis=0))],
    }

with open(os.path.join(HERE, "vocab.txt"), "w", encoding="utf-8", newline="\n") as f:
    f.write("\n".join(VOCAB) + "\n")
onnx.save(graph(with_types=True, pooled=False), os.path.join(HERE, "model.onnx"))
onnx.save(graph(with_types=False, pooled=True), os.path.join(HERE, "model-pooled.onnx"))
onnx.save(graph(with_types=True, pooled=False, index_type=TensorProto.INT32), os.path.join(HERE, "model-int32.onnx"))
with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8", newline="\n") as f:
    json.dump(expected, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(json.dumps(expected, ensure_ascii=False)[:400])
